"""Each type of record the retention schedule covers: which of its records are due for erasure, the
date a record's period counts from, its key dates for the tombstone, and how it is erased.

A record type answers "which records are due" as one queryset for a cutoff date (the latest date
a period may count from): the nightly listing and the confirmation both ask it, so a record that
stopped being due (a concern reopened, a rule lengthened) is never erased.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.models import ChallengeStatus, FileTransfer, PoliceAttendance, ProfessionalChallenge, TransferStatus
from notifications.models import Delivery, DeliveryStatus
from officers.models import OfficerStatus, Posting, SuitabilityAssessment, TrainingRecord
from retention.models import CountsFrom, RecordType
from safeguarding.models import (
    BodyMapMark,
    Concern,
    ConcernAction,
    ConcernAuditEntry,
    ConcernStatus,
    StaffReport,
    StaffReportEvent,
    Task,
    YearGroup,
)
from searches.models import SearchRecord

# How many school years after Reception each year group is (Nursery is the year before).
YEAR_GROUP_NUMBER = {YearGroup.NURSERY: -1, YearGroup.RECEPTION: 0} | {
    value: int(value) for value in YearGroup.values if value.isdigit()
}


def school_year_start(day: datetime.date) -> int:
    """The calendar year in which the school year holding ``day`` began (school years start on 1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def latest_birth_date(year_group: str, logged_on: datetime.date) -> datetime.date:
    """The latest date of birth of a pupil in ``year_group`` in the school year of ``logged_on``.

    In England a year group holds the children born from 1 September to 31 August: those in
    Reception in the school year starting in September S were born from 1 September S-5 to 31
    August S-4, and year group Y is Y years older. Counting from the latest date keeps a record at
    least as long as the pupil's real date of birth would. Pupils taught outside their age group
    are the exception (see docs/data-protection.md).
    """
    return datetime.date(school_year_start(logged_on) - YEAR_GROUP_NUMBER[year_group] - 4, 8, 31)


def start_of_day_after(day: datetime.date) -> datetime.datetime:
    """Midnight in London at the end of ``day``: a time is on or before ``day`` when it is earlier than this."""
    next_day = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


@dataclass
class Erasure:
    """What erasing one record removed: row counts by kind, and the stored files to delete once committed."""

    rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def _delete_with_history(model: type[models.Model], pks: list[int], *, more_versions: Q | None = None) -> int:
    """Delete the rows, then every version django-simple-history kept of them, including the one
    the deletion itself adds. Returns how many versions the rows had before."""
    versions = model.history.filter(Q(id__in=pks) | (more_versions or Q(pk__in=[])))
    kept = versions.count()
    model.objects.filter(pk__in=pks).delete()
    versions.delete()
    return kept


class RecordKind:
    """One record type of the schedule. Subclasses fill in the model and the four answers."""

    record_type: str
    model: type[models.Model]

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        """The records whose period, counted as ``counts_from`` says, began on or before ``cutoff``."""
        raise NotImplementedError

    def anchor(self, record, counts_from: str) -> datetime.date:
        """The date ``record``'s period counts from."""
        raise NotImplementedError

    def key_dates(self, record) -> dict[str, str | None]:
        raise NotImplementedError

    def erase(self, record) -> Erasure:
        """Delete the record, what belongs to it and their history, in the caller's transaction."""
        erasure = Erasure()
        versions = _delete_with_history(self.model, [record.pk])
        if versions:
            erasure.rows["history versions"] = versions
        return erasure


class ConcernKind(RecordKind):
    record_type = RecordType.CONCERN
    model = Concern

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        closed = Concern.objects.filter(status=ConcernStatus.CLOSED)
        if counts_from == CountsFrom.CLOSURE:
            # A closed concern is updated when it is closed, and afterwards only by a late share.
            return closed.filter(updated_at__lt=start_of_day_after(cutoff))
        # The latest possible birth date (31 August of a year) is on or before the cutoff when its
        # year is at most last_year; that year follows from the school year the concern was logged
        # in, so each year group gives a bound on created_at (index-friendly, no date arithmetic in SQL).
        last_year = cutoff.year if (cutoff.month, cutoff.day) >= (8, 31) else cutoff.year - 1
        condition = Q(pk__in=[])
        zone = timezone.get_current_timezone()
        for year_group, number in YEAR_GROUP_NUMBER.items():
            # latest_birth_date <= cutoff  <=>  school_year_start(logged) - number - 4 <= last_year
            latest_start = last_year + number + 4
            before = datetime.datetime(latest_start + 1, 9, 1, tzinfo=zone)
            condition |= Q(year_group=year_group, created_at__lt=before)
        return closed.filter(condition)

    def anchor(self, concern: Concern, counts_from: str) -> datetime.date:
        if counts_from == CountsFrom.CLOSURE:
            return timezone.localdate(concern.updated_at)
        return latest_birth_date(concern.year_group, timezone.localdate(concern.created_at))

    def key_dates(self, concern: Concern) -> dict[str, str | None]:
        return {"logged": _iso(concern.created_at), "last updated (closed)": _iso(concern.updated_at)}

    def erase(self, concern: Concern) -> Erasure:
        erasure = Erasure()
        # What hangs from the concern goes with it: the staff reports accepted as it or added to it
        # (with their audit trail), the tasks set about it or those reports, its body-map marks.
        report_ids = list(concern.staff_reports.values_list("pk", flat=True))
        tasks = Task.objects.filter(Q(concern=concern) | Q(staff_report_id__in=report_ids))
        erasure.rows["tasks"] = tasks.delete()[0]
        erasure.rows["body-map marks"] = BodyMapMark.objects.filter(concern=concern).delete()[0]
        erasure.rows["staff report events"] = StaffReportEvent.objects.filter(report_id__in=report_ids).delete()[0]
        erasure.rows["staff reports"] = StaffReport.objects.filter(pk__in=report_ids).delete()[0]
        action_ids = list(concern.actions.values_list("pk", flat=True))
        erasure.files = [name for name in concern.attachments.values_list("file", flat=True) if name]
        erasure.rows["audit entries"] = ConcernAuditEntry.objects.filter(concern=concern).delete()[0]
        erasure.rows["attachments"] = concern.attachments.all().delete()[0]
        erasure.rows["chronology actions"] = len(action_ids)
        versions = _delete_with_history(ConcernAction, action_ids, more_versions=Q(concern_id=concern.pk))
        versions += _delete_with_history(Concern, [concern.pk])
        erasure.rows["history versions"] = versions
        return erasure


class SearchRecordKind(RecordKind):
    record_type = RecordType.SEARCH_RECORD
    model = SearchRecord

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        return SearchRecord.objects.filter(searched_at__lt=start_of_day_after(cutoff))

    def anchor(self, search: SearchRecord, counts_from: str) -> datetime.date:
        return timezone.localdate(search.searched_at)

    def key_dates(self, search: SearchRecord) -> dict[str, str | None]:
        return {"searched": _iso(search.searched_at), "recorded": _iso(search.created_at)}


class PostingKind(RecordKind):
    record_type = RecordType.POSTING
    model = Posting

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        # An open-ended posting is never due.
        return Posting.objects.filter(end_date__lte=cutoff)

    def anchor(self, posting: Posting, counts_from: str) -> datetime.date:
        return posting.end_date

    def key_dates(self, posting: Posting) -> dict[str, str | None]:
        return {"started": _iso(posting.start_date), "ended": _iso(posting.end_date)}


class TrainingRecordKind(RecordKind):
    record_type = RecordType.TRAINING_RECORD
    model = TrainingRecord

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        # Training that never expires stays current while the officer serves: it counts from its
        # completion, and only once the officer has left.
        return TrainingRecord.objects.filter(
            Q(expires_on__lte=cutoff)
            | Q(expires_on__isnull=True, completed_on__lte=cutoff, officer__status=OfficerStatus.LEFT)
        )

    def anchor(self, record: TrainingRecord, counts_from: str) -> datetime.date:
        return record.expires_on or record.completed_on

    def key_dates(self, record: TrainingRecord) -> dict[str, str | None]:
        return {"completed": _iso(record.completed_on), "expired": _iso(record.expires_on)}


class SuitabilityAssessmentKind(RecordKind):
    record_type = RecordType.SUITABILITY_ASSESSMENT
    model = SuitabilityAssessment

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        # An officer's latest assessment is their evidence of suitability for a posting
        # (officers.services): it is kept while they serve, whatever its age.
        later = SuitabilityAssessment.objects.filter(officer_id=OuterRef("officer_id")).filter(
            Q(assessed_on__gt=OuterRef("assessed_on")) | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
        )
        return SuitabilityAssessment.objects.filter(assessed_on__lte=cutoff).filter(
            Q(officer__status=OfficerStatus.LEFT) | Exists(later)
        )

    def anchor(self, assessment: SuitabilityAssessment, counts_from: str) -> datetime.date:
        return assessment.assessed_on

    def key_dates(self, assessment: SuitabilityAssessment) -> dict[str, str | None]:
        return {"assessed": _iso(assessment.assessed_on)}


class ConcernAuditEntryKind(RecordKind):
    record_type = RecordType.CONCERN_AUDIT_ENTRY
    model = ConcernAuditEntry

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        return ConcernAuditEntry.objects.filter(at__lt=start_of_day_after(cutoff))

    def anchor(self, entry: ConcernAuditEntry, counts_from: str) -> datetime.date:
        return timezone.localdate(entry.at)

    def key_dates(self, entry: ConcernAuditEntry) -> dict[str, str | None]:
        return {"recorded": _iso(entry.at)}

    def erase(self, entry: ConcernAuditEntry) -> Erasure:
        entry.delete()  # no history: the audit trail is written once
        return Erasure()


class DeliveryKind(RecordKind):
    record_type = RecordType.DELIVERY
    model = Delivery

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        # A pending delivery may still be being sent.
        return Delivery.objects.filter(
            created_at__lt=start_of_day_after(cutoff), status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED]
        )

    def anchor(self, delivery: Delivery, counts_from: str) -> datetime.date:
        return timezone.localdate(delivery.created_at)

    def key_dates(self, delivery: Delivery) -> dict[str, str | None]:
        return {"recorded": _iso(delivery.created_at), "sent": _iso(delivery.sent_at)}

    def erase(self, delivery: Delivery) -> Erasure:
        delivery.delete()  # no history
        return Erasure()


class FileTransferKind(RecordKind):
    """A transfer of the child protection file, with the read-only copy the new school received and
    its audit trail. The sending school's concerns follow their own rule; the new school's record
    of the pupil, started at acknowledgement, stays (its concerns follow theirs)."""

    record_type = RecordType.FILE_TRANSFER
    model = FileTransfer

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        # A transfer not yet acknowledged is still under way: never due.
        return FileTransfer.objects.filter(status=TransferStatus.ACKNOWLEDGED, sent_on__lte=cutoff)

    def anchor(self, transfer: FileTransfer, counts_from: str) -> datetime.date:
        return transfer.sent_on

    def key_dates(self, transfer: FileTransfer) -> dict[str, str | None]:
        return {"sent": _iso(transfer.sent_on), "acknowledged": _iso(transfer.acknowledged_at)}

    def erase(self, transfer: FileTransfer) -> Erasure:
        erasure = Erasure()
        erasure.rows["audit entries"] = transfer.audit_entries.all().delete()[0]
        transfer.delete()  # the copy is a field of the transfer; no history is kept
        return erasure


class PoliceAttendanceKind(RecordKind):
    record_type = RecordType.POLICE_ATTENDANCE
    model = PoliceAttendance

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        return PoliceAttendance.objects.filter(attended_at__lt=start_of_day_after(cutoff))

    def anchor(self, attendance: PoliceAttendance, counts_from: str) -> datetime.date:
        return timezone.localdate(attendance.attended_at)

    def key_dates(self, attendance: PoliceAttendance) -> dict[str, str | None]:
        return {"attended": _iso(attendance.attended_at), "recorded": _iso(attendance.recorded_at)}

    def erase(self, attendance: PoliceAttendance) -> Erasure:
        attendance.delete()  # no history
        return Erasure()


class ProfessionalChallengeKind(RecordKind):
    record_type = RecordType.PROFESSIONAL_CHALLENGE
    model = ProfessionalChallenge

    def due(self, counts_from: str, cutoff: datetime.date) -> QuerySet:
        # An open challenge is never due.
        return ProfessionalChallenge.objects.filter(status=ChallengeStatus.RESOLVED, resolved_on__lte=cutoff)

    def anchor(self, challenge: ProfessionalChallenge, counts_from: str) -> datetime.date:
        return challenge.resolved_on

    def key_dates(self, challenge: ProfessionalChallenge) -> dict[str, str | None]:
        return {"opened": _iso(challenge.opened_on), "resolved": _iso(challenge.resolved_on)}

    def erase(self, challenge: ProfessionalChallenge) -> Erasure:
        erasure = Erasure()
        erasure.rows["steps"] = challenge.steps.all().delete()[0]
        challenge.delete()  # no history
        return erasure


RECORD_KINDS: dict[str, RecordKind] = {
    kind.record_type: kind
    for kind in (
        ConcernKind(),
        SearchRecordKind(),
        PostingKind(),
        TrainingRecordKind(),
        SuitabilityAssessmentKind(),
        ConcernAuditEntryKind(),
        DeliveryKind(),
        FileTransferKind(),
        PoliceAttendanceKind(),
        ProfessionalChallengeKind(),
    )
}
