"""Confirming erasure: the record, what belongs to it, its history and its files go; a tombstone
stays. Held records and records no longer due stay. Only a data protection officer confirms."""

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from officers.models import Posting
from retention.models import CandidateStatus, ErasureCandidate, ErasureTombstone, RecordType
from retention.services import confirm_erasures, hold_candidates, list_due_erasures, release_holds
from safeguarding.models import Concern, ConcernAction, ConcernAttachment, ConcernAuditEntry
from tests.factories.officers import PostingFactory
from tests.factories.retention import ErasureCandidateFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _candidate_for(record_type: str, object_id: int) -> ErasureCandidate:
    list_due_erasures()
    return ErasureCandidate.objects.get(record_type=record_type, object_id=object_id)


@pytest.fixture
def old_posting(db):
    return PostingFactory(start_date=datetime.date(2000, 9, 1), end_date=datetime.date(2001, 7, 31))


def test_confirming_erases_the_concern_with_its_chronology_attachments_and_audit_entries(old_concern, dpo):
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert not Concern.objects.filter(pk=old_concern.pk).exists()
    assert not ConcernAction.objects.filter(concern_id=old_concern.pk).exists()
    assert not ConcernAttachment.objects.filter(concern_id=old_concern.pk).exists()
    assert not ConcernAuditEntry.objects.filter(concern_id=old_concern.pk).exists()


def test_confirming_erases_every_version_of_the_concern_and_its_chronology(old_concern, dpo):
    action_ids = list(old_concern.actions.values_list("pk", flat=True))
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert not Concern.history.filter(id=old_concern.pk).exists()
    assert not ConcernAction.history.filter(id__in=action_ids).exists()


def test_the_attachment_file_is_deleted_once_the_erasure_is_committed(
    old_concern, dpo, django_capture_on_commit_callbacks
):
    path = old_concern.attachments.get().file.path
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm_erasures(candidate_ids=[candidate.pk], by=dpo)
    assert os.path.exists(path)  # not before the commit
    for callback in callbacks:
        callback()

    assert not os.path.exists(path)


def test_a_file_that_cannot_be_deleted_is_logged_and_left_to_the_orphan_purge(
    old_concern, dpo, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    storage = ConcernAttachment._meta.get_field("file").storage
    path = old_concern.attachments.get().file.path
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    def refuse(name):
        raise PermissionError("read-only volume")

    monkeypatch.setattr(storage, "delete", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert os.path.exists(path)
    assert "orphan purge will retry" in caplog.text
    assert not Concern.objects.filter(pk=old_concern.pk).exists()


def test_a_tombstone_keeps_the_type_id_dates_rule_and_who_confirmed(old_concern, dpo):
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    tombstone = ErasureTombstone.objects.get()
    assert (tombstone.record_type, tombstone.original_id, tombstone.confirmed_by) == (
        RecordType.CONCERN,
        old_concern.pk,
        dpo,
    )
    assert (tombstone.anchor_date, tombstone.due_on) == (datetime.date(1985, 8, 31), datetime.date(2010, 8, 31))
    assert tombstone.key_dates == {"logged": "2000-10-03", "last updated (closed)": "2000-10-03"}
    assert tombstone.erased_rows["chronology actions"] == 1
    assert tombstone.erased_rows["attachments"] == 1
    assert tombstone.rule_applied.startswith("25 years from the pupil's latest possible date of birth")


def test_a_tombstone_holds_no_personal_data(old_concern, dpo):
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    text = str(list(ErasureTombstone.objects.values()))
    for personal in (old_concern.pupil_reference, old_concern.description, "Phoned home", "notes.pdf"):
        assert personal not in text


def test_the_candidate_goes_once_its_record_is_erased(old_concern, dpo):
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert not ErasureCandidate.objects.exists()
    assert not ErasureCandidate.history.filter(id=candidate.pk).exists()


def test_confirming_erases_a_posting_and_its_history(old_posting, dpo):
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert not Posting.objects.filter(pk=old_posting.pk).exists()
    assert not Posting.history.filter(id=old_posting.pk).exists()


def test_a_held_record_is_kept(old_posting, dpo):
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)
    hold_candidates(candidate_ids=[candidate.pk], by=dpo, reason="Legal hold: employment tribunal.")

    result = confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert result.skipped == {candidate.pk: "held"}
    assert Posting.objects.filter(pk=old_posting.pk).exists()


def test_a_hold_records_the_reason_and_who_held_it(old_posting, dpo):
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)

    hold_candidates(candidate_ids=[candidate.pk], by=dpo, reason="Ongoing case.")

    candidate.refresh_from_db()
    assert (candidate.status, candidate.hold_reason, candidate.decided_by) == (
        CandidateStatus.HELD,
        "Ongoing case.",
        dpo,
    )


def test_a_hold_needs_a_reason(old_posting, dpo):
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)
    with pytest.raises(ValidationError):
        hold_candidates(candidate_ids=[candidate.pk], by=dpo, reason="  ")


def test_a_released_hold_puts_the_record_back_for_review_and_keeps_the_hold_in_history(old_posting, dpo):
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)
    hold_candidates(candidate_ids=[candidate.pk], by=dpo, reason="Ongoing case.")

    release_holds(candidate_ids=[candidate.pk], by=dpo)

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING
    assert "Ongoing case." in candidate.history.values_list("hold_reason", flat=True)


def test_a_record_no_longer_due_is_not_erased(old_concern, dpo):
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)
    Concern.objects.filter(pk=old_concern.pk).update(status="open", outcome="")  # reopened since

    result = confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert result.skipped == {candidate.pk: "no longer due"}
    assert Concern.objects.filter(pk=old_concern.pk).exists()
    assert not ErasureTombstone.objects.exists()


def test_one_failing_erasure_leaves_the_others_done_and_itself_whole(old_concern, old_posting, dpo, monkeypatch):
    from retention.record_types import RECORD_KINDS

    concern_candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)
    posting_candidate = ErasureCandidate.objects.get(record_type=RecordType.POSTING, object_id=old_posting.pk)
    concern_kind = RECORD_KINDS[RecordType.CONCERN]
    real_erase = concern_kind.erase

    def erase_then_fail(concern):
        real_erase(concern)
        raise RuntimeError("disk full")

    monkeypatch.setattr(concern_kind, "erase", erase_then_fail)

    result = confirm_erasures(candidate_ids=[concern_candidate.pk, posting_candidate.pk], by=dpo)

    assert result.skipped == {concern_candidate.pk: "failed"}
    assert Concern.objects.filter(pk=old_concern.pk).exists()
    assert Concern.history.filter(id=old_concern.pk).exists()
    assert not Posting.objects.filter(pk=old_posting.pk).exists()


@pytest.mark.parametrize("role", ["manager", "plain_staff", "force_lead", "dsl_a"])
def test_other_roles_cannot_confirm_an_erasure(request, old_posting, role):
    user = request.getfixturevalue(role)
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)

    with pytest.raises(PermissionDenied):
        confirm_erasures(candidate_ids=[candidate.pk], by=user)

    assert Posting.objects.filter(pk=old_posting.pk).exists()


@pytest.mark.parametrize("role", ["manager", "plain_staff"])
def test_other_roles_cannot_hold(request, role):
    candidate = ErasureCandidateFactory()
    with pytest.raises(PermissionDenied):
        hold_candidates(candidate_ids=[candidate.pk], by=request.getfixturevalue(role), reason="Mine.")


def test_an_inactive_data_protection_officer_cannot_confirm(old_posting, dpo):
    dpo.is_active = False
    dpo.save()
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)
    with pytest.raises(PermissionDenied):
        confirm_erasures(candidate_ids=[candidate.pk], by=dpo)


def test_a_tombstone_counts_the_versions_the_record_had(old_posting, dpo):
    candidate = _candidate_for(RecordType.POSTING, old_posting.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert ErasureTombstone.objects.get().erased_rows == {"history versions": 1}


def test_an_old_audit_entry_and_a_sent_delivery_are_erased_leaving_their_dates(dpo):
    from notifications.models import Delivery
    from tests.factories.notifications import SentDeliveryFactory
    from tests.factories.safeguarding import ConcernFactory

    concern = ConcernFactory()
    recorded = datetime.datetime(2001, 12, 1, 12, 0, tzinfo=LONDON)
    entry = ConcernAuditEntry.objects.create(concern=concern, user=concern.logged_by, event="viewed", at=recorded)
    delivery = SentDeliveryFactory(created_at=datetime.datetime(2024, 1, 5, 9, 0, tzinfo=LONDON))
    candidates = [
        _candidate_for(RecordType.CONCERN_AUDIT_ENTRY, entry.pk),
        _candidate_for(RecordType.DELIVERY, delivery.pk),
    ]

    confirm_erasures(candidate_ids=[candidate.pk for candidate in candidates], by=dpo)

    assert not ConcernAuditEntry.objects.filter(pk=entry.pk).exists()
    assert not Delivery.objects.filter(pk=delivery.pk).exists()
    dates = {tombstone.record_type: tombstone.key_dates for tombstone in ErasureTombstone.objects.all()}
    assert dates[RecordType.CONCERN_AUDIT_ENTRY] == {"recorded": "2001-12-01"}
    assert dates[RecordType.DELIVERY]["recorded"] == "2024-01-05"


def test_confirming_erases_the_concerns_staff_reports_tasks_and_body_map_marks(old_concern, dpo):
    from safeguarding.models import BodyMapMark, StaffReport, StaffReportEvent, Task
    from tests.factories.safeguarding import BodyMapMarkFactory, StaffReportFactory, TaskFactory

    report = StaffReportFactory(
        school=old_concern.school, pupil_reference=old_concern.pupil_reference, status="accepted", concern=old_concern
    )
    StaffReportEvent.objects.create(report=report, user=report.reported_by, event="reported")
    TaskFactory(pupil=old_concern.pupil, concern=old_concern)
    TaskFactory(pupil=old_concern.pupil, staff_report=report)
    BodyMapMarkFactory(concern=old_concern)
    candidate = _candidate_for(RecordType.CONCERN, old_concern.pk)

    confirm_erasures(candidate_ids=[candidate.pk], by=dpo)

    assert not StaffReport.objects.exists() and not StaffReportEvent.objects.exists()
    assert not Task.objects.exists() and not BodyMapMark.objects.exists()
    assert ErasureTombstone.objects.get().erased_rows["tasks"] == 2
