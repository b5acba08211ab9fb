"""The safeguards added to search records: body-worn video, the trauma-informed follow-up action,
the supervisor's review, closing, and section 60 authorisations with community notification."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.reminders import reminders_due
from searches.models import SearchRecord, SearchStatus, Section60Authorisation
from searches.services import (
    close_search,
    record_follow_up,
    record_section_60,
    search_rule_errors,
    section_60_rule_errors,
    update_search,
)
from tests.factories.officers import BCUFactory, BCUManagerFactory, OfficerFactory, UserFactory
from tests.factories.searches import IntimateSearchFactory, SearchRecordFactory, Section60AuthorisationFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
SEARCHED = datetime.datetime(2026, 10, 14, 15, 0, tzinfo=LONDON)


def _rules(**fields) -> dict:
    return search_rule_errors(SearchRecordFactory.build(**fields))


def test_body_worn_video_must_be_answered():
    assert "body_worn_video" in _rules(body_worn_video="")


def test_video_not_recorded_needs_its_reason_and_a_recorded_one_none():
    assert "body_worn_video_reason" in _rules(body_worn_video="not_recorded")
    assert not _rules(body_worn_video="not_recorded", body_worn_video_reason="Camera failed.")
    assert "body_worn_video_reason" in _rules(body_worn_video="recorded", body_worn_video_reason="Camera failed.")


def test_a_child_searched_beyond_outer_clothing_needs_a_follow_up_action():
    errors = _rules(search_type="more_thorough")
    assert set(errors) == {"follow_up_by", "follow_up_due_on"}
    assert not _rules(search_type="more_thorough", child_age=18)  # an adult: no follow-up rule
    assert not _rules(search_type="outer")


def test_a_follow_up_done_says_what_was_offered_and_its_outcome():
    search = IntimateSearchFactory(searched_at=SEARCHED)
    with pytest.raises(ValidationError) as error:
        record_follow_up(
            search=search, offered="", outcome="", completed_on=datetime.date(2026, 10, 20), recorded_by=None
        )
    assert set(error.value.message_dict) == {"follow_up_offered", "follow_up_outcome"}


def test_a_review_is_by_an_inspector_or_above_with_its_date():
    search = IntimateSearchFactory(searched_at=SEARCHED)
    with pytest.raises(ValidationError) as error:
        update_search(
            search=search, updated_by=UserFactory(), reviewed_by_name="Sgt. Lee Marsh", reviewed_by_rank="ps"
        )
    assert set(error.value.message_dict) == {"reviewed_by_rank", "reviewed_on"}
    update_search(
        search=search,
        updated_by=UserFactory(),
        reviewed_by_name="Insp. Rowan Pike",
        reviewed_by_rank="insp",
        reviewed_on=datetime.date(2026, 10, 16),
    )
    assert not SearchRecord.objects.review_due().exists()


def test_closing_a_childs_intimate_search_without_its_referral_is_refused():
    search = IntimateSearchFactory(searched_at=SEARCHED)
    with pytest.raises(ValidationError) as error:
        close_search(search=search, closed_by=UserFactory())
    assert "referral_reference" in error.value.message_dict
    assert SearchRecord.objects.get().status == SearchStatus.OPEN


def _authorisation(**fields) -> Section60Authorisation:
    return Section60AuthorisationFactory.build(bcu=BCUFactory(), recorded_by=UserFactory(), **fields)


def test_a_section_60_authorisation_needs_an_inspector():
    assert "authorising_officer_rank" in section_60_rule_errors(_authorisation(authorising_officer_rank="ps"))


def test_beyond_24_hours_a_superintendent_extends_it_and_never_beyond_48():
    start = datetime.datetime(2026, 10, 14, 8, 0, tzinfo=LONDON)
    thirty_hours = {"starts_at": start, "ends_at": start + datetime.timedelta(hours=30)}
    assert "ends_at" in section_60_rule_errors(_authorisation(**thirty_hours))
    assert not section_60_rule_errors(_authorisation(**thirty_hours, authorising_officer_rank="supt"))
    fifty = {"starts_at": start, "ends_at": start + datetime.timedelta(hours=50), "authorising_officer_rank": "supt"}
    assert "ends_at" in section_60_rule_errors(_authorisation(**fifty))


def test_the_community_notification_or_why_it_was_not_practicable_is_recorded():
    silent = _authorisation(community_notified_at=None, community_notified_to="")
    assert "community_notified_at" in section_60_rule_errors(silent)
    urgent = _authorisation(
        community_notified_at=None,
        community_notified_to="",
        notification_not_practicable_reason="Stabbing an hour ago.",
    )
    assert not section_60_rule_errors(urgent)
    half = _authorisation(community_notified_to="")
    assert "community_notified_to" in section_60_rule_errors(half)


def test_record_section_60_saves_nothing_when_a_rule_fails():
    with pytest.raises(ValidationError):
        record_section_60(
            recorded_by=UserFactory(),
            bcu=BCUFactory(),
            area="Town centre",
            starts_at=SEARCHED,
            ends_at=SEARCHED + datetime.timedelta(hours=4),
            authorising_officer_name="Sgt. Lee Marsh",
            authorising_officer_rank="ps",
            community_notified_to="Safer neighbourhood panel",
            community_notified_at=SEARCHED - datetime.timedelta(hours=10),
        )
    assert not Section60Authorisation.objects.exists()


def test_a_manager_records_a_section_60_authorisation_in_the_admin(manager_client):
    response = manager_client.post(
        reverse("admin:searches_section60authorisation_add"),
        {
            "bcu": BCUFactory().pk,
            "area": "Streets around the bus station",
            "starts_at_0": "14/10/2026",
            "starts_at_1": "10:00",
            "ends_at_0": "14/10/2026",
            "ends_at_1": "18:00",
            "grounds": "",
            "authorising_officer_name": "Insp. Rowan Pike",
            "authorising_officer_number": "",
            "authorising_officer_rank": "insp",
            "community_notified_at_0": "",
            "community_notified_at_1": "",
            "community_notified_to": "",
            "notification_not_practicable_reason": "",
        },
    )
    assert response.status_code == 200  # neither notified nor why not
    assert "Record when the community was notified" in response.content.decode()
    assert not Section60Authorisation.objects.exists()


def test_the_follow_up_is_reminded_every_day_from_its_due_date_until_done():
    BCUManagerFactory(email="manager@police.invalid")
    officer = OfficerFactory(user=UserFactory(email="sso@police.invalid"))
    search = IntimateSearchFactory(officer=officer, searched_at=SEARCHED)  # due 21 Oct
    assert not list(reminders_due("search-follow-up-due", datetime.date(2026, 10, 20)))
    [reminder] = reminders_due("search-follow-up-due", datetime.date(2026, 10, 23))
    assert set(reminder.recipients) == {"sso@police.invalid", "manager@police.invalid"}
    assert "overdue (2 days)" in reminder.subject
    record_follow_up(
        search=search,
        offered="Meeting",
        outcome="Accepted",
        completed_on=datetime.date(2026, 10, 23),
        recorded_by=None,
    )
    assert not list(reminders_due("search-follow-up-due", datetime.date(2026, 10, 24)))


def test_the_review_is_reminded_daily_from_a_week_after_the_search():
    BCUManagerFactory(email="manager@police.invalid")
    IntimateSearchFactory(searched_at=SEARCHED)
    assert not list(reminders_due("search-review-due", datetime.date(2026, 10, 20)))
    [reminder] = reminders_due("search-review-due", datetime.date(2026, 10, 21))
    assert reminder.recipients == ("manager@police.invalid",)
    assert not list(reminders_due("search-review-due", datetime.date(2026, 10, 21), object_key="search:999"))


SEARCH_DAY = SEARCHED.date()
FOLLOW_UP_DONE = {"follow_up_offered": "A call with the school nurse.", "follow_up_outcome": "Accepted."}
REVIEW = {"reviewed_by_name": "Insp. Rowan Pike", "reviewed_by_rank": "insp"}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"searched_at": datetime.datetime(2099, 1, 1, 12, 0, tzinfo=LONDON)},
            "searched_at",
            "The search cannot be in the future.",
        ),
        (
            {"follow_up_due_on": SEARCH_DAY - datetime.timedelta(days=1)},
            "follow_up_due_on",
            "The follow-up cannot be due before the search.",
        ),
        (
            {"follow_up_completed_on": datetime.date(2099, 1, 1), **FOLLOW_UP_DONE},
            "follow_up_completed_on",
            "The follow-up cannot be done in the future.",
        ),
        (
            {"follow_up_completed_on": SEARCH_DAY - datetime.timedelta(days=1), **FOLLOW_UP_DONE},
            "follow_up_completed_on",
            "The follow-up cannot be done before the search.",
        ),
        (
            {"reviewed_by_rank": "insp", "reviewed_on": SEARCH_DAY},
            "reviewed_by_name",
            "Give the reviewing officer's name.",
        ),
        ({**REVIEW, "reviewed_on": datetime.date(2099, 1, 1)}, "reviewed_on", "The review cannot be in the future."),
        (
            {**REVIEW, "reviewed_on": SEARCH_DAY - datetime.timedelta(days=1)},
            "reviewed_on",
            "The review cannot be before the search.",
        ),
    ],
    ids=[
        "search in the future",
        "follow-up due before the search",
        "follow-up done in the future",
        "follow-up done before the search",
        "review without a name",
        "review in the future",
        "review before the search",
    ],
)
def test_dates_and_names_of_a_search_follow_up_and_review_are_checked(fields, field, message):
    assert message in _rules(**{"searched_at": SEARCHED, **fields}).get(field, [])


def test_only_a_section_60_search_is_linked_to_an_authorisation():
    authorisation = Section60AuthorisationFactory(bcu=BCUFactory(), recorded_by=UserFactory())

    errors = _rules(searched_at=SEARCHED, legal_power="pace_s1", section_60=authorisation)

    assert errors["section_60"] == ["Only a search under section 60 is linked to a section 60 authorisation."]


def test_a_section_60_authorisation_ends_after_it_starts():
    start = datetime.datetime(2026, 10, 14, 8, 0, tzinfo=LONDON)

    errors = section_60_rule_errors(_authorisation(starts_at=start, ends_at=start))

    assert errors["ends_at"] == ["The authorisation must end after it starts."]


def test_a_notification_and_a_reason_it_was_not_practicable_are_not_both_given():
    both = _authorisation(notification_not_practicable_reason="Stabbing an hour ago.")

    assert "notification_not_practicable_reason" in section_60_rule_errors(both)


def test_a_notification_to_someone_says_when():
    errors = section_60_rule_errors(_authorisation(community_notified_at=None))

    assert errors["community_notified_at"] == ["Give when the community was notified."]
