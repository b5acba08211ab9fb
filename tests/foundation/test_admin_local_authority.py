"""The local authority admin page: which council reader logins see its figures."""

import pytest
from django.urls import reverse

from tests.factories.officers import UserFactory
from tests.factories.roles import council_reader
from tests.factories.schools import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def test_only_active_council_readers_can_be_linked_to_a_local_authority(manager_client):
    reader = council_reader(username="reader")
    gone = council_reader(username="gone", is_active=False)
    other = UserFactory(username="someone-else")
    response = manager_client.get(reverse("admin:schools_localauthority_change", args=[LocalAuthorityFactory().pk]))
    choices = set(response.context["adminform"].form.fields["council_readers"].queryset)
    assert reader in choices
    assert gone not in choices and other not in choices


def test_a_bcu_manager_links_a_council_reader_to_a_local_authority(manager_client):
    authority = LocalAuthorityFactory()
    reader = council_reader(username="reader")
    response = manager_client.post(
        reverse("admin:schools_localauthority_change", args=[authority.pk]),
        {"gss_code": authority.gss_code, "dfe_code": authority.dfe_code, "name": authority.name,
         "council_readers": [reader.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(authority.council_readers.all()) == [reader]
