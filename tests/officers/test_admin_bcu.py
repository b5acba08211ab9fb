"""The BCU admin page: which BCU managers get the BCU's reminders."""

import pytest
from django.urls import reverse

from tests.factories.officers import BCUFactory, BCUManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_active_bcu_managers_can_be_chosen_as_a_bcus_managers(manager_client, bcu_manager):
    staff = UserFactory(username="plain-staff", is_staff=True)
    retired = BCUManagerFactory(username="retired", is_active=False)
    response = manager_client.get(reverse("admin:officers_bcu_change", args=[BCUFactory().pk]))
    choices = set(response.context["adminform"].form.fields["managers"].queryset)
    assert bcu_manager in choices
    assert staff not in choices and retired not in choices


def test_a_bcu_manager_assigns_managers_to_a_bcu(manager_client, bcu_manager):
    bcu = BCUFactory()
    colleague = BCUManagerFactory(username="colleague")
    response = manager_client.post(
        reverse("admin:officers_bcu_change", args=[bcu.pk]),
        {"code": bcu.code, "name": bcu.name, "force": bcu.force, "managers": [bcu_manager.pk, colleague.pk]},
    )
    assert response.status_code == 302
    assert set(bcu.managers.all()) == {bcu_manager, colleague}


def test_a_staff_user_outside_the_manager_group_is_refused_as_a_bcus_manager(manager_client):
    bcu = BCUFactory()
    staff = UserFactory(username="plain-staff", is_staff=True)
    response = manager_client.post(
        reverse("admin:officers_bcu_change", args=[bcu.pk]),
        {"code": bcu.code, "name": bcu.name, "force": bcu.force, "managers": [staff.pk]},
    )
    assert response.status_code == 200
    assert "managers" in response.context["adminform"].form.errors
    assert not bcu.managers.exists()
