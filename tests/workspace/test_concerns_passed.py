"""An SSO passes information or a concern about a pupil to the DSL, and sees only what they sent
and what the DSL shares back."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from safeguarding.models import Concern
from safeguarding.services import share_concern_with_police
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory

DATA = {
    "pupil_reference": "rb-2026-091",
    "year_group": "9",
    "category": "exploitation",
    "severity": "high",
    "description": "Seen being collected by an older male in a car after school, three days running.",
}


@pytest.fixture
def dsl(school):
    return DSLContactFactory(school=school, user=UserFactory(username="dsl-a")).user


def _pass(client, school, **overrides):
    return client.post(reverse("workspace:concern-pass"), {"school": school.pk, **DATA, **overrides})


def test_a_passed_concern_arrives_in_the_dsls_list_marked_from_the_sso(sso_client, sso_user, school, dsl, client):
    assert _pass(sso_client, school).status_code == 302
    concern = Concern.objects.get()
    assert (concern.raised_by_sso, concern.logged_by, concern.shared_with_police) == (True, sso_user, False)
    assert concern.pupil_reference == "RB-2026-091"
    client.force_login(dsl)
    page = client.get(reverse("safeguarding:concern-list")).content.decode()
    assert f"Concern {concern.pk}" in page and "From the SSO" in page


def test_the_sso_sees_what_they_sent_but_not_the_concern_until_it_is_shared_back(sso_client, school, dsl):
    _pass(sso_client, school)
    concern = Concern.objects.get()
    page = sso_client.get(reverse("workspace:concerns-passed")).content.decode()
    assert "three days running" in page and "Not shared back" in page
    assert sso_client.get(reverse("safeguarding:concern-detail", args=[concern.pk])).status_code == 404
    share_concern_with_police(concern=concern, roles=PortalRoles(dsl))
    page = sso_client.get(reverse("workspace:concerns-passed")).content.decode()
    assert reverse("safeguarding:concern-detail", args=[concern.pk]) in page
    assert sso_client.get(reverse("safeguarding:concern-detail", args=[concern.pk])).status_code == 200


def test_another_sso_at_the_school_does_not_see_what_was_passed(sso_client, school, client):
    _pass(sso_client, school)
    other = UserFactory(username="sso-b")
    PostingFactory(officer=OfficerFactory(user=other), school=school, start_date=datetime.date(2020, 1, 1))
    client.force_login(other)
    assert "three days running" not in client.get(reverse("workspace:concerns-passed")).content.decode()


def test_a_concern_the_dsl_logged_is_not_on_the_ssos_page(sso_client, school):
    ConcernFactory(school=school, description="Logged by the DSL themselves")
    assert "Logged by the DSL" not in sso_client.get(reverse("workspace:concerns-passed")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"description": ""}, "description"), ({"pupil_reference": "Jane Smith"}, "pupil_reference")],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_saved(sso_client, school, overrides, field):
    response = _pass(sso_client, school, **overrides)
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Concern.objects.exists()


def test_a_school_the_sso_is_not_posted_to_is_refused(sso_client, other_school):
    response = _pass(sso_client, other_school)
    assert 'href="#id_school"' in response.content.decode()
    assert not Concern.objects.exists()


def test_the_page_of_passed_concerns_makes_a_fixed_number_of_queries(
    sso_client, sso_user, school, django_assert_num_queries
):
    for _ in range(3):
        ConcernFactory(school=school, logged_by=sso_user, raised_by_sso=True, created_at=timezone.now())
    queries = [
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the login's officer",
        "the schools of the officer's current postings",
        "how many concerns the SSO passed on (the paginator)",
        "one page of them with their schools",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    with django_assert_num_queries(len(queries)):
        sso_client.get(reverse("workspace:concerns-passed"))
