"""The nightly listing: records whose retention period has passed become erasure candidates, once;
nothing is deleted."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from officers.models import OfficerStatus
from retention.models import CandidateStatus, CountsFrom, ErasureCandidate, RecordType, RetentionRule
from retention.services import list_due_erasures
from retention.tasks import list_due_erasures as list_due_erasures_task
from safeguarding.models import Concern, ConcernAuditEntry
from searches.models import SearchRecord
from tests.factories.notifications import DeliveryFactory, SentDeliveryFactory
from tests.factories.officers import (
    OfficerFactory,
    PostingFactory,
    SuitabilityAssessmentFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
)
from tests.factories.retention import ErasureCandidateFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.searches import SearchRecordFactory

from .conftest import closed_concern

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 12, 6)


def _at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


def _listed(record_type: str) -> set[int]:
    return set(ErasureCandidate.objects.filter(record_type=record_type).values_list("object_id", flat=True))


def test_a_closed_concern_is_listed_once_the_pupil_is_25_at_the_latest():
    # Year 11 in October 2016: born by 31 August 2001, so 25 by 31 August 2026 at the latest.
    concern = closed_concern(logged=_at(2016, 10, 3), year_group="11")
    list_due_erasures(on=datetime.date(2026, 8, 31))
    assert _listed(RecordType.CONCERN) == {concern.pk}


def test_a_closed_concern_is_not_listed_the_day_before_the_pupils_latest_25th_birthday():
    closed_concern(logged=_at(2016, 10, 3), year_group="11")
    list_due_erasures(on=datetime.date(2026, 8, 30))
    assert _listed(RecordType.CONCERN) == set()


def test_an_open_concern_is_never_listed_however_old():
    ConcernFactory(created_at=_at(1990, 1, 1), year_group="11")
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.CONCERN) == set()


def test_a_concern_counted_from_closure_is_listed_25_years_after_its_last_update():
    rule = RetentionRule.objects.get(record_type=RecordType.CONCERN)
    rule.counts_from = CountsFrom.CLOSURE
    rule.save()
    due = closed_concern(logged=_at(1990, 1, 1), closed=_at(2001, 12, 6), year_group="R")
    closed_concern(logged=_at(1990, 1, 1), closed=_at(2001, 12, 7), year_group="R")
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.CONCERN) == {due.pk}


def test_a_search_is_listed_three_years_after_it_was_made():
    due = SearchRecordFactory(searched_at=_at(2023, 12, 6, 23))
    SearchRecordFactory(searched_at=_at(2023, 12, 7, 0))
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.SEARCH_RECORD) == {due.pk}


def test_a_posting_is_listed_six_years_after_it_ended_and_an_open_one_never():
    due = PostingFactory(start_date=datetime.date(2019, 9, 1), end_date=datetime.date(2020, 12, 6))
    PostingFactory(start_date=datetime.date(2019, 9, 1), end_date=datetime.date(2020, 12, 7))
    PostingFactory(start_date=datetime.date(2000, 9, 1), end_date=None)
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.POSTING) == {due.pk}


def test_a_training_record_is_listed_six_years_after_it_expired():
    course = TrainingCourseFactory(validity_months=12)
    due = TrainingRecordFactory(course=course, completed_on=datetime.date(2019, 12, 6))  # expired 6 Dec 2020
    TrainingRecordFactory(course=course, completed_on=datetime.date(2019, 12, 7))
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.TRAINING_RECORD) == {due.pk}


def test_training_that_never_expires_is_listed_only_once_the_officer_has_left():
    course = TrainingCourseFactory(validity_months=None)
    left = TrainingRecordFactory(
        course=course, completed_on=datetime.date(2010, 1, 1), officer=OfficerFactory(status=OfficerStatus.LEFT)
    )
    TrainingRecordFactory(course=course, completed_on=datetime.date(2010, 1, 1))
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.TRAINING_RECORD) == {left.pk}


def test_an_old_assessment_is_listed_but_a_serving_officers_latest_is_kept():
    officer = OfficerFactory()
    older = SuitabilityAssessmentFactory(officer=officer, assessed_on=datetime.date(2015, 1, 1))
    SuitabilityAssessmentFactory(officer=officer, assessed_on=datetime.date(2016, 1, 1))
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.SUITABILITY_ASSESSMENT) == {older.pk}


def test_the_latest_assessment_of_an_officer_who_has_left_is_listed():
    latest = SuitabilityAssessmentFactory(
        officer=OfficerFactory(status=OfficerStatus.LEFT), assessed_on=datetime.date(2015, 1, 1)
    )
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.SUITABILITY_ASSESSMENT) == {latest.pk}


def test_an_audit_entry_is_listed_25_years_after_it_was_recorded():
    concern = ConcernFactory()
    due = ConcernAuditEntry.objects.create(
        concern=concern, user=concern.logged_by, event="viewed", at=_at(2001, 12, 6)
    )
    ConcernAuditEntry.objects.create(concern=concern, user=concern.logged_by, event="viewed", at=_at(2001, 12, 7))
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.CONCERN_AUDIT_ENTRY) == {due.pk}


def test_a_sent_delivery_is_listed_after_12_months_but_a_pending_one_is_not():
    due = SentDeliveryFactory(created_at=_at(2025, 12, 6))
    SentDeliveryFactory(created_at=_at(2025, 12, 7))
    DeliveryFactory(created_at=_at(2020, 1, 1))  # pending: may still be being sent
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.DELIVERY) == {due.pk}


def test_a_candidate_records_when_its_period_began_and_ended():
    search = SearchRecordFactory(searched_at=_at(2020, 3, 1))
    list_due_erasures(on=TODAY)
    candidate = ErasureCandidate.objects.get(record_type=RecordType.SEARCH_RECORD, object_id=search.pk)
    assert (candidate.anchor_date, candidate.due_on, candidate.listed_on, candidate.status) == (
        datetime.date(2020, 3, 1),
        datetime.date(2023, 3, 1),
        TODAY,
        CandidateStatus.PENDING,
    )


def test_listing_deletes_nothing():
    closed_concern(logged=_at(1990, 1, 1), year_group="11")
    SearchRecordFactory(searched_at=_at(2000, 1, 1))
    list_due_erasures(on=TODAY)
    assert Concern.objects.count() == SearchRecord.objects.count() == 1


def test_listing_twice_lists_each_record_once():
    closed_concern(logged=_at(1990, 1, 1), year_group="11")
    SearchRecordFactory(searched_at=_at(2000, 1, 1))
    list_due_erasures(on=TODAY)
    before = list(ErasureCandidate.objects.order_by("pk").values())

    second = list_due_erasures(on=TODAY + datetime.timedelta(days=1))

    assert list(ErasureCandidate.objects.order_by("pk").values()) == before
    assert sum(second.added.values()) == 0


def test_a_candidate_no_longer_due_is_taken_off_the_list():
    concern = closed_concern(logged=_at(1990, 1, 1), year_group="11")
    list_due_erasures(on=TODAY)
    Concern.objects.filter(pk=concern.pk).update(status="open", outcome="")  # reopened

    list_due_erasures(on=TODAY)

    assert _listed(RecordType.CONCERN) == set()


def test_a_held_candidate_stays_held_when_listed_again():
    search = SearchRecordFactory(searched_at=_at(2000, 1, 1))
    ErasureCandidateFactory(
        record_type=RecordType.SEARCH_RECORD, object_id=search.pk, status=CandidateStatus.HELD, hold_reason="Claim."
    )
    list_due_erasures(on=TODAY)
    candidate = ErasureCandidate.objects.get(record_type=RecordType.SEARCH_RECORD, object_id=search.pk)
    assert (candidate.status, candidate.hold_reason) == (CandidateStatus.HELD, "Claim.")


def test_a_candidate_whose_record_has_gone_is_taken_off_the_list():
    ErasureCandidateFactory(
        record_type=RecordType.DELIVERY, object_id=999_999, status=CandidateStatus.HELD, hold_reason="Claim."
    )
    list_due_erasures(on=TODAY)
    assert _listed(RecordType.DELIVERY) == set()


def test_a_changed_rule_moves_the_due_date_of_a_listed_record():
    search = SearchRecordFactory(searched_at=_at(2020, 3, 1))
    list_due_erasures(on=TODAY)
    rule = RetentionRule.objects.get(record_type=RecordType.SEARCH_RECORD)
    rule.period_years = 4
    rule.save()

    list_due_erasures(on=TODAY)

    candidate = ErasureCandidate.objects.get(record_type=RecordType.SEARCH_RECORD, object_id=search.pk)
    assert candidate.due_on == datetime.date(2024, 3, 1)


def test_the_nightly_task_lists_for_the_day_it_is_given():
    SearchRecordFactory(searched_at=_at(2023, 12, 6))
    assert list_due_erasures_task.delay("2026-12-05").get() == 0
    assert list_due_erasures_task.delay("2026-12-06").get() == 1


def test_the_command_lists_at_once(capsys):
    SearchRecordFactory(searched_at=_at(2000, 1, 1))
    call_command("list_due_erasures", "--on", "2026-12-06")
    assert "search_record: 1 added" in capsys.readouterr().out


def test_the_listing_runs_every_night_from_the_beat_schedule():
    from ssoportal.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["list-due-erasures"]["task"] == "retention.tasks.list_due_erasures"
