import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from officers.models import Rank
from searches.models import (
    AppropriateAdultRole,
    BodyWornVideo,
    EthnicGroup,
    Gender,
    LegalPower,
    Outcome,
    SearchRecord,
    SearchType,
    SelfDefinedEthnicity,
    StatutoryException,
)
from searches.services import record_referral, record_search, update_search
from tests.factories.officers import OfficerFactory, UserFactory
from tests.factories.schools import SchoolFactory
from tests.factories.searches import IntimateSearchFactory, SearchRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return OfficerFactory()


@pytest.fixture
def recorder():
    return UserFactory()


def _intimate_fields(officer, **overrides) -> dict:
    """A search exposing a 15-year-old's intimate parts, authorised and witnessed: valid as it stands."""
    fields = {
        "reference": "SR-2026-0001",
        "officer": officer,
        "school": SchoolFactory(),
        "searched_at": datetime.datetime(2026, 10, 14, 11, 30, tzinfo=ZoneInfo("Europe/London")),
        "legal_power": LegalPower.PACE_S54,
        "search_type": SearchType.INTIMATE_PARTS,
        "child_age": 15,
        "self_defined_ethnicity": SelfDefinedEthnicity.BLACK_CARIBBEAN,
        "officer_observed_ethnicity": EthnicGroup.BLACK,
        "gender": Gender.FEMALE,
        "reason": "Information that drugs were concealed.",
        "outcome": Outcome.NO_FURTHER_ACTION,
        "authorising_officer_name": "Insp. Rowan Pike",
        "authorising_officer_number": "IN4401",
        "authorising_officer_rank": Rank.INSPECTOR,
        "appropriate_adult_present": True,
        "appropriate_adult_name": "Dana Whitlock",
        "appropriate_adult_role": AppropriateAdultRole.PARENT_OR_GUARDIAN,
        "body_worn_video": BodyWornVideo.RECORDED,
        "follow_up_by": "PC Ellis (the SSO) with the school's DSL",
        "follow_up_due_on": datetime.date(2026, 10, 21),
    }
    fields.update(overrides)
    return fields


def _errors(officer, recorder, **overrides) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        record_search(recorded_by=recorder, **_intimate_fields(officer, **overrides))
    assert not SearchRecord.objects.exists()
    return excinfo.value.message_dict


def test_authorised_and_witnessed_intimate_search_is_saved_with_the_officers_bcu(officer, recorder):
    search = record_search(recorded_by=recorder, **_intimate_fields(officer))
    assert search.pk is not None
    assert search.bcu == officer.bcu
    assert search.recorded_by == recorder


def test_intimate_search_of_a_child_without_authorising_rank_is_refused(officer, recorder):
    errors = _errors(officer, recorder, authorising_officer_rank="")
    assert "Inspector or above" in errors["authorising_officer_rank"][0]


def test_intimate_search_authorised_by_a_sergeant_is_refused(officer, recorder):
    errors = _errors(officer, recorder, authorising_officer_rank=Rank.SERGEANT)
    assert "authorising_officer_rank" in errors


@pytest.mark.parametrize("rank", Rank.at_least(Rank.INSPECTOR))
def test_intimate_search_authorised_by_an_inspector_or_above_is_saved(officer, recorder, rank):
    record_search(recorded_by=recorder, **_intimate_fields(officer, authorising_officer_rank=rank))
    assert SearchRecord.objects.count() == 1


def test_intimate_search_without_the_authorising_officers_name_is_refused(officer, recorder):
    errors = _errors(officer, recorder, authorising_officer_name="  ")
    assert "authorising_officer_name" in errors


def test_intimate_search_without_an_appropriate_adult_or_exception_is_refused(officer, recorder):
    errors = _errors(
        officer, recorder, appropriate_adult_present=False, appropriate_adult_name="", appropriate_adult_role=""
    )
    assert "appropriate adult" in errors["appropriate_adult_present"][0]


def test_strip_search_in_custody_follows_the_same_rules(officer, recorder):
    errors = _errors(officer, recorder, search_type=SearchType.STRIP_IN_CUSTODY, appropriate_adult_present=False)
    assert "appropriate_adult_present" in errors


def test_appropriate_adult_present_needs_a_name_and_a_role(officer, recorder):
    errors = _errors(officer, recorder, appropriate_adult_name="", appropriate_adult_role="")
    assert set(errors) == {"appropriate_adult_name", "appropriate_adult_role"}


def test_statutory_exception_with_a_reason_allows_an_intimate_search_without_appropriate_adult(officer, recorder):
    search = record_search(
        recorded_by=recorder,
        **_intimate_fields(
            officer,
            appropriate_adult_present=False,
            appropriate_adult_name="",
            appropriate_adult_role="",
            statutory_exception=StatutoryException.URGENT_RISK_OF_SERIOUS_HARM,
            statutory_exception_reason="Blade believed concealed; immediate risk to the child.",
        ),
    )
    assert search.statutory_exception == StatutoryException.URGENT_RISK_OF_SERIOUS_HARM


def test_statutory_exception_without_a_reason_is_refused(officer, recorder):
    errors = _errors(
        officer,
        recorder,
        appropriate_adult_present=False,
        statutory_exception=StatutoryException.URGENT_RISK_OF_SERIOUS_HARM,
        statutory_exception_reason=" ",
    )
    assert "statutory_exception_reason" in errors


def test_statutory_exception_does_not_waive_inspector_authorisation(officer, recorder):
    errors = _errors(
        officer,
        recorder,
        authorising_officer_rank=Rank.SERGEANT,
        appropriate_adult_present=False,
        statutory_exception=StatutoryException.URGENT_RISK_OF_SERIOUS_HARM,
        statutory_exception_reason="Immediate risk.",
    )
    assert set(errors) == {"authorising_officer_rank"}


def test_exception_reason_without_an_exception_is_refused(officer, recorder):
    errors = _errors(officer, recorder, statutory_exception_reason="Because.")
    assert "statutory_exception" in errors


def test_intimate_search_of_a_17_year_old_needs_authorisation(officer, recorder):
    errors = _errors(officer, recorder, child_age=17, authorising_officer_rank=Rank.SERGEANT)
    assert "authorising_officer_rank" in errors


def test_intimate_search_of_an_18_year_old_is_not_a_child_search(officer, recorder):
    search = record_search(
        recorded_by=recorder,
        **_intimate_fields(
            officer,
            child_age=18,
            authorising_officer_name="",
            authorising_officer_rank=Rank.SERGEANT,
            appropriate_adult_present=False,
            appropriate_adult_name="",
            appropriate_adult_role="",
        ),
    )
    assert not search.is_referral_due


def test_more_thorough_search_of_a_child_needs_no_inspector(officer, recorder):
    search = record_search(
        recorded_by=recorder,
        **_intimate_fields(officer, search_type=SearchType.MORE_THOROUGH, authorising_officer_rank=""),
    )
    assert not search.is_referral_due


def test_search_needs_a_school_or_a_location(officer, recorder):
    errors = _errors(officer, recorder, school=None, location="")
    assert "school or describe the location" in str(errors)


def test_search_away_from_school_with_a_location_is_saved(officer, recorder):
    search = record_search(recorded_by=recorder, **_intimate_fields(officer, school=None, location="Custody suite"))
    assert search.school is None


def test_field_errors_and_rule_errors_never_half_write(officer, recorder):
    _errors(officer, recorder, child_age=30)
    _errors(officer, recorder, reference="")


def test_update_cannot_remove_the_appropriate_adult_from_an_intimate_search(recorder):
    search = IntimateSearchFactory()
    with pytest.raises(ValidationError):
        update_search(search=search, updated_by=recorder, appropriate_adult_present=False)
    search.refresh_from_db()
    assert search.appropriate_adult_present


def test_update_is_kept_in_the_records_history_with_who_made_it(recorder):
    search = SearchRecordFactory()
    update_search(search=search, updated_by=recorder, outcome=Outcome.ARREST)
    latest = search.history.first()
    assert latest.outcome == Outcome.ARREST
    assert latest.history_user == recorder


def test_recording_a_referral_ends_the_referral_due_state(recorder):
    search = IntimateSearchFactory()
    assert SearchRecord.objects.referral_due().filter(pk=search.pk).exists()
    record_referral(search=search, referral_reference=" MASH-2026-118 ", recorded_by=recorder)
    search.refresh_from_db()
    assert search.referral_reference == "MASH-2026-118"
    assert not SearchRecord.objects.referral_due().exists()


def test_a_blank_referral_reference_is_refused(recorder):
    search = IntimateSearchFactory()
    with pytest.raises(ValidationError):
        record_referral(search=search, referral_reference="  ", recorded_by=recorder)


def test_referral_due_covers_only_intimate_searches_of_children():
    due = IntimateSearchFactory(child_age=17)
    strip = IntimateSearchFactory(search_type=SearchType.STRIP_IN_CUSTODY)
    IntimateSearchFactory(child_age=18)
    IntimateSearchFactory(referral_reference="MASH-1")
    SearchRecordFactory(search_type=SearchType.MORE_THOROUGH)
    assert set(SearchRecord.objects.referral_due()) == {due, strip}


def test_changing_the_officer_moves_the_search_to_their_bcu(recorder):
    search = SearchRecordFactory()
    new_officer = OfficerFactory()
    update_search(search=search, updated_by=recorder, officer=new_officer)
    search.refresh_from_db()
    assert search.bcu == new_officer.bcu


def test_child_choosing_to_be_searched_without_the_adult_is_an_exception_that_names_the_adult(officer, recorder):
    search = record_search(
        recorded_by=recorder,
        **_intimate_fields(
            officer,
            appropriate_adult_present=False,
            statutory_exception=StatutoryException.CHILD_CHOSE_ABSENCE_WITH_AGREEMENT,
            statutory_exception_reason="Said in front of her mother she wanted her to wait outside; mother agreed.",
        ),
    )
    assert not search.appropriate_adult_present


def test_child_chose_absence_exception_without_the_adults_name_is_refused(officer, recorder):
    errors = _errors(
        officer,
        recorder,
        appropriate_adult_present=False,
        appropriate_adult_name="",
        appropriate_adult_role="",
        statutory_exception=StatutoryException.CHILD_CHOSE_ABSENCE_WITH_AGREEMENT,
        statutory_exception_reason="Asked for the adult to wait outside.",
    )
    assert set(errors) == {"appropriate_adult_name", "appropriate_adult_role"}
