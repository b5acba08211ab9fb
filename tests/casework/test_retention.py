import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from casework.models import ChallengeStatus, FileTransfer, PoliceAttendance, TransferAuditEntry, TransferStatus
from retention.models import ErasureCandidate, RecordType
from retention.services import confirm_erasures, list_due_erasures
from tests.factories.casework import FileTransferFactory, PoliceAttendanceFactory, ProfessionalChallengeFactory
from tests.factories.roles import data_protection_officer

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.localdate() - relativedelta(years=26)


def _candidates(record_type: str) -> set[int]:
    return set(ErasureCandidate.objects.filter(record_type=record_type).values_list("object_id", flat=True))


def test_an_acknowledged_transfer_and_its_copy_are_listed_25_years_after_it_was_sent():
    old = FileTransferFactory(sent_on=LONG_AGO, status=TransferStatus.ACKNOWLEDGED)
    FileTransferFactory(sent_on=timezone.localdate() - datetime.timedelta(days=3), status=TransferStatus.ACKNOWLEDGED)
    list_due_erasures()
    assert _candidates(RecordType.FILE_TRANSFER) == {old.pk}


def test_a_transfer_still_under_way_is_never_listed():
    FileTransferFactory(sent_on=LONG_AGO, status=TransferStatus.RECEIVED)
    list_due_erasures()
    assert _candidates(RecordType.FILE_TRANSFER) == set()


def test_erasing_a_transfer_removes_the_copy_and_its_audit_trail_but_not_the_pupils_records():
    transfer = FileTransferFactory(sent_on=LONG_AGO, status=TransferStatus.ACKNOWLEDGED)
    TransferAuditEntry.objects.create(transfer=transfer, user=transfer.sent_by, event="viewed")
    list_due_erasures()
    candidate = ErasureCandidate.objects.get(record_type=RecordType.FILE_TRANSFER)
    confirm_erasures(candidate_ids=[candidate.pk], by=data_protection_officer())
    assert not FileTransfer.objects.exists() and not TransferAuditEntry.objects.exists()
    assert transfer.pupil.__class__.objects.filter(pk=transfer.pupil_id).exists()


def test_police_attendances_and_resolved_challenges_are_covered_too():
    visit = PoliceAttendanceFactory(attended_at=timezone.now() - relativedelta(years=26))
    resolved = ProfessionalChallengeFactory(opened_on=LONG_AGO)
    resolved.status, resolved.resolution, resolved.resolved_on = ChallengeStatus.RESOLVED, "Agreed", LONG_AGO
    resolved.save()
    ProfessionalChallengeFactory(opened_on=LONG_AGO)  # still open: never due
    list_due_erasures()
    assert _candidates(RecordType.POLICE_ATTENDANCE) == {visit.pk}
    assert _candidates(RecordType.PROFESSIONAL_CHALLENGE) == {resolved.pk}
    confirm_erasures(candidate_ids=ErasureCandidate.objects.values_list("pk", flat=True), by=data_protection_officer())
    assert not PoliceAttendance.objects.exists()
