"""SSOs record their own searches in the portal, under the same rules as the admin form."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from searches.models import SearchRecord, SearchStatus
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import SchoolFactory
from tests.factories.searches import IntimateSearchFactory, SearchRecordFactory, Section60AuthorisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return SchoolFactory(name="Alder Academy")


@pytest.fixture
def officer(school):
    officer = OfficerFactory(user=UserFactory(username="sso-searcher"))
    PostingFactory(officer=officer, school=school, start_date=datetime.date(2020, 1, 1))
    return officer


@pytest.fixture
def sso_client(client, officer):
    client.force_login(officer.user)
    return client


def _when(days_ago: int = 1) -> datetime.datetime:
    return timezone.localtime() - datetime.timedelta(days=days_ago)


def _outer(at, **overrides) -> dict:
    moment = _when()
    data = {
        "reference": "SR-PORTAL-1",
        "search_date": moment.date().isoformat(),
        "search_time": "11:30",
        "school": at.pk,
        "location": "",
        "legal_power": "mda_s23",
        "section_60": "",
        "child_age": "15",
        "gender": "male",
        "self_defined_ethnicity": "W1",
        "officer_observed_ethnicity": "W",
        "reason": "Smell of cannabis reported by a member of staff.",
        "outcome": "nfa",
        "items_found": "",
        "body_worn_video": "recorded",
        "body_worn_video_reason": "",
        "status": "open",
    }
    data.update(overrides)
    return data


def _intimate(at, **overrides) -> dict:
    data = _outer(
        at,
        legal_power="pace_s54",
        authorising_officer_name="Insp. Rowan Pike",
        authorising_officer_number="IN4401",
        authorising_officer_rank="insp",
        appropriate_adult_present="on",
        appropriate_adult_name="Dana Whitlock",
        appropriate_adult_role="parent",
        follow_up_by="PC Ellis with the school's DSL",
        follow_up_due_on=timezone.localdate().isoformat(),
        referral_reference="",
    )
    data.update(overrides)
    return data


def _post(client, search_type: str, data: dict):
    return client.post(reverse("searches:record", args=[search_type]), data)


def test_an_sso_records_an_outer_clothing_search_as_their_own(sso_client, officer, school):
    response = _post(sso_client, "outer", _outer(school))
    search = SearchRecord.objects.get()
    assert response.status_code == 302
    assert (search.officer, search.bcu, search.recorded_by, search.search_type) == (
        officer,
        officer.bcu,
        officer.user,
        "outer",
    )


def test_the_form_shows_only_what_applies_to_the_search_type(sso_client):
    outer = sso_client.get(reverse("searches:record", args=["outer"])).content.decode()
    intimate = sso_client.get(reverse("searches:record", args=["eip"])).content.decode()
    for name in ("authorising_officer_rank", "appropriate_adult_present", "follow_up_by", "referral_reference"):
        assert f'name="{name}"' not in outer
        assert f'name="{name}"' in intimate
    assert 'name="body_worn_video"' in outer


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"body_worn_video": ""}, "body_worn_video", "Say whether the search was recorded on body-worn video."),
        (
            {"body_worn_video": "not_recorded"},
            "body_worn_video_reason",
            "Give the reason the search was not recorded on body-worn video.",
        ),
        ({"legal_power": "cjpoa_s60"}, "section_60", "linked to the authorisation it was made in"),
        ({"school": ""}, None, "Give the school or describe the location of the search."),
    ],
)
def test_a_bad_outer_search_is_refused_with_a_message_and_nothing_saved(sso_client, school, overrides, field, message):
    response = _post(sso_client, "outer", _outer(school, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message.replace("'", "&#x27;") in page
    if field:
        assert f'href="#id_{field}"' in page
    assert not SearchRecord.objects.exists()


def test_a_closed_intimate_search_of_a_child_without_its_referral_is_refused(sso_client, school):
    response = _post(sso_client, "eip", _intimate(school, status="closed"))
    page = response.content.decode()
    assert 'href="#id_referral_reference"' in page
    assert "cannot be closed without the safeguarding referral reference" in page
    assert not SearchRecord.objects.exists()


def test_a_closed_intimate_search_with_its_referral_is_saved(sso_client, school):
    _post(sso_client, "eip", _intimate(school, status="closed", referral_reference="MASH-2026-77"))
    assert SearchRecord.objects.get().status == SearchStatus.CLOSED


def test_a_child_searched_beyond_outer_clothing_needs_the_follow_up_action(sso_client, school):
    page = _post(sso_client, "more_thorough", _intimate(school, follow_up_by="", follow_up_due_on="")).content.decode()
    assert 'href="#id_follow_up_by"' in page and 'href="#id_follow_up_due_on_day"' in page
    assert not SearchRecord.objects.exists()


def test_the_admin_rules_apply_in_the_portal(sso_client, school):
    page = _post(sso_client, "eip", _intimate(school, authorising_officer_rank="ps")).content.decode()
    assert "must be authorised by an Inspector or above" in page
    assert not SearchRecord.objects.exists()


def test_a_section_60_search_is_linked_to_the_authorisation_in_force(sso_client, officer, school):
    moment = _when()
    authorisation = Section60AuthorisationFactory(
        bcu=officer.bcu, starts_at=moment.replace(hour=8, minute=0), ends_at=moment.replace(hour=18, minute=0)
    )
    _post(sso_client, "outer", _outer(school, legal_power="cjpoa_s60", section_60=authorisation.pk))
    assert SearchRecord.objects.get().section_60 == authorisation


def test_a_section_60_search_outside_the_authorisations_hours_is_refused(sso_client, officer, school):
    moment = _when()
    authorisation = Section60AuthorisationFactory(
        bcu=officer.bcu, starts_at=moment.replace(hour=14, minute=0), ends_at=moment.replace(hour=18, minute=0)
    )
    page = _post(
        sso_client, "outer", _outer(school, legal_power="cjpoa_s60", section_60=authorisation.pk)
    ).content.decode()
    assert "not made while this authorisation was in force" in page
    assert not SearchRecord.objects.exists()


def test_a_school_the_sso_is_not_posted_to_is_refused(sso_client):
    response = _post(sso_client, "outer", _outer(SchoolFactory()))
    assert 'href="#id_school"' in response.content.decode()
    assert not SearchRecord.objects.exists()


def test_an_unknown_search_type_is_404(sso_client):
    assert sso_client.get(reverse("searches:record", args=["shoes"])).status_code == 404


def test_an_sso_sees_only_their_own_searches(sso_client, officer):
    mine = SearchRecordFactory(officer=officer, reference="SR-MINE")
    theirs = SearchRecordFactory(reference="SR-THEIRS")
    page = sso_client.get(reverse("searches:my-searches")).content.decode()
    assert "SR-MINE" in page and "SR-THEIRS" not in page
    assert sso_client.get(reverse("searches:my-search", args=[mine.pk])).status_code == 200
    assert sso_client.get(reverse("searches:my-search", args=[theirs.pk])).status_code == 404


def test_my_searches_makes_a_fixed_number_of_queries(sso_client, officer, django_assert_num_queries):
    SearchRecordFactory.create_batch(3, officer=officer)
    with CaptureQueriesContext(connection) as few:
        sso_client.get(reverse("searches:my-searches"))
    SearchRecordFactory.create_batch(10, officer=officer)
    queries = [
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the login's officer",
        "the schools of the officer's current postings (is an SSO)",
        "how many searches the officer made (the paginator)",
        "one page of them with their schools",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    assert len(few) == len(queries)
    with django_assert_num_queries(len(queries)):
        sso_client.get(reverse("searches:my-searches"))


def test_the_sso_records_the_follow_up_as_done(sso_client, officer):
    search = IntimateSearchFactory(officer=officer, searched_at=_when(3))
    url = reverse("searches:my-search", args=[search.pk])
    data = {
        "action": "follow_up",
        "follow_up-offered": "Meeting with the SSO and a parent.",
        "follow_up-outcome": "Accepted a youth worker's support.",
        "follow_up-completed_on": timezone.localdate().isoformat(),
    }
    assert sso_client.post(url, {**data, "follow_up-completed_on": "2099-01-01"}).status_code == 200
    search.refresh_from_db()
    assert search.follow_up_completed_on is None
    assert sso_client.post(url, data).status_code == 302
    search.refresh_from_db()
    assert search.follow_up_completed_on == timezone.localdate()


def test_an_intimate_search_stays_open_until_its_referral_is_recorded(sso_client, officer):
    search = IntimateSearchFactory(officer=officer, searched_at=_when(3))
    url = reverse("searches:my-search", args=[search.pk])
    page = sso_client.post(url, {"action": "close"}).content.decode()
    assert "cannot be closed without the safeguarding referral reference" in page
    search.refresh_from_db()
    assert search.status == SearchStatus.OPEN
    sso_client.post(url, {"action": "referral", "referral-referral_reference": "MASH-2026-9"})
    sso_client.post(url, {"action": "close"})
    search.refresh_from_db()
    assert (search.referral_reference, search.status) == ("MASH-2026-9", SearchStatus.CLOSED)
