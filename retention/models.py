"""The retention schedule, the records listed for erasure, what remains of an erased record, and
the log of subject access exports.

Nothing here holds a record's contents: a candidate or a tombstone names a record by its type,
its id and its dates only.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class RecordType(models.TextChoices):
    """The records the schedule covers. A concern is erased with its chronology, attachments and audit entries."""

    CONCERN = "concern", "Safeguarding concern"
    SEARCH_RECORD = "search_record", "Search of a child"
    POSTING = "posting", "Posting"
    TRAINING_RECORD = "training_record", "Training record"
    SUITABILITY_ASSESSMENT = "suitability_assessment", "Suitability assessment"
    CONCERN_AUDIT_ENTRY = "concern_audit_entry", "Concern audit entry"
    DELIVERY = "delivery", "E-mail delivery"
    FILE_TRANSFER = "file_transfer", "Child protection file transfer"
    POLICE_ATTENDANCE = "police_attendance", "Police attendance for a pupil"
    PROFESSIONAL_CHALLENGE = "professional_challenge", "Professional challenge"


class CountsFrom(models.TextChoices):
    """What a retention period counts from. ``COUNTS_FROM_BY_TYPE`` says which fit which record type."""

    PUPIL_BIRTH = "pupil_birth", "The pupil's latest possible date of birth, from the year group when logged"
    CLOSURE = "closure", "The concern's last update while closed"
    SEARCH_DATE = "search_date", "The date of the search"
    POSTING_END = "posting_end", "The last day of the posting"
    TRAINING_EXPIRY = "training_expiry", "The day the training expired (its completion, if it never expires)"
    ASSESSMENT_DATE = "assessment_date", "The date of the assessment"
    ENTRY_DATE = "entry_date", "The date of the audit entry"
    RECORDED_DATE = "recorded_date", "The day the e-mail was recorded"
    TRANSFER_DATE = "transfer_date", "The day the file was sent (acknowledged transfers only)"
    ATTENDANCE_DATE = "attendance_date", "The date of the police attendance"
    CHALLENGE_RESOLUTION = "challenge_resolution", "The day the challenge was resolved"


COUNTS_FROM_BY_TYPE: dict[str, tuple[str, ...]] = {
    RecordType.CONCERN: (CountsFrom.PUPIL_BIRTH, CountsFrom.CLOSURE),
    RecordType.SEARCH_RECORD: (CountsFrom.SEARCH_DATE,),
    RecordType.POSTING: (CountsFrom.POSTING_END,),
    RecordType.TRAINING_RECORD: (CountsFrom.TRAINING_EXPIRY,),
    RecordType.SUITABILITY_ASSESSMENT: (CountsFrom.ASSESSMENT_DATE,),
    RecordType.CONCERN_AUDIT_ENTRY: (CountsFrom.ENTRY_DATE,),
    RecordType.DELIVERY: (CountsFrom.RECORDED_DATE,),
    RecordType.FILE_TRANSFER: (CountsFrom.TRANSFER_DATE,),
    RecordType.POLICE_ATTENDANCE: (CountsFrom.ATTENDANCE_DATE,),
    RecordType.PROFESSIONAL_CHALLENGE: (CountsFrom.CHALLENGE_RESOLUTION,),
}


def describe_period(years: int, months: int) -> str:
    parts = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((years, "year"), (months, "month")) if n]
    return " and ".join(parts) or "no time"


class RetentionRule(models.Model):
    """How long one type of record is kept, what the period counts from, and why.

    One rule per record type, seeded with documented defaults (migration 0002) that the data
    protection officer confirms or changes. A record is due for erasure once the period has passed
    since the date it counts from.
    """

    record_type = models.CharField(max_length=30, choices=RecordType.choices, unique=True, editable=False)
    period_years = models.PositiveSmallIntegerField("years", default=0, validators=[MaxValueValidator(100)])
    period_months = models.PositiveSmallIntegerField("months", default=0, validators=[MaxValueValidator(11)])
    counts_from = models.CharField(max_length=30, choices=CountsFrom.choices)
    basis = models.TextField(
        "legal basis and source",
        help_text="Why this period: the guidance or law it follows, and who confirmed it and when.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["record_type"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_years__gt=0) | Q(period_months__gt=0),
                name="retention_rule_period_not_empty",
                violation_error_message="A retention period is at least one month.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.describe()}"

    @property
    def period(self) -> relativedelta:
        return relativedelta(years=self.period_years, months=self.period_months)

    def describe(self) -> str:
        counts_from = CountsFrom(self.counts_from).label if self.counts_from in CountsFrom.values else "?"
        return (
            f"{describe_period(self.period_years, self.period_months)} from {counts_from[0].lower()}{counts_from[1:]}"
        )

    def cutoff(self, on: datetime.date) -> datetime.date:
        """The latest date a record's period may count from for it to be due on ``on``."""
        return on - self.period

    def clean(self) -> None:
        if not (self.period_years or self.period_months):
            raise ValidationError("A retention period is at least one month.")
        allowed = COUNTS_FROM_BY_TYPE.get(self.record_type, ())
        if self.counts_from and self.counts_from not in allowed:
            labels = "; ".join(CountsFrom(value).label.lower() for value in allowed)
            raise ValidationError({"counts_from": f"For this type of record the period counts from: {labels}."})


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    HELD = "held", "Held"


class ErasureCandidate(models.Model):
    """A record whose retention period has passed, listed nightly for the data protection
    officer, who confirms its erasure or holds it. Names the record by type and id only."""

    record_type = models.CharField(max_length=30, choices=RecordType.choices)
    object_id = models.PositiveBigIntegerField("record id")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="candidates")
    counts_from = models.CharField(max_length=30, choices=CountsFrom.choices)
    anchor_date = models.DateField("counts from", help_text="The date the retention period counts from.")
    due_on = models.DateField("due on", help_text="The day the retention period ended.")
    listed_on = models.DateField("first listed on", default=timezone.localdate)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING)
    hold_reason = models.TextField(
        blank=True, help_text="Why the record is kept past its period, e.g. a legal hold or an ongoing case."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "record_type", "object_id"]
        permissions = [("review_erasure", "Can confirm or hold the erasure of records")]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "object_id"], name="erasure_candidate_once_per_record"),
            models.CheckConstraint(
                condition=~Q(status=CandidateStatus.HELD) | ~Q(hold_reason=""),
                name="erasure_candidate_held_has_reason",
                violation_error_message="Give the reason for holding a record.",
            ),
        ]
        indexes = [models.Index(fields=["status", "record_type"], name="erasure_candidate_status_type")]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} {self.object_id}"


class ErasureTombstone(models.Model):
    """What remains of an erased record: its type, original id, key dates, the rule applied and who
    confirmed the erasure. No personal data."""

    record_type = models.CharField(max_length=30, choices=RecordType.choices)
    original_id = models.PositiveBigIntegerField("original id")
    rule_applied = models.CharField(max_length=200, help_text="The retention period and what it counted from.")
    anchor_date = models.DateField("period counted from")
    due_on = models.DateField("due for erasure on")
    key_dates = models.JSONField(default=dict, help_text="The record's own dates, e.g. when it was made or ended.")
    erased_rows = models.JSONField(
        default=dict, help_text="How many rows went with it: chronology, attachments, audit entries, versions."
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        indexes = [models.Index(fields=["record_type", "original_id"], name="erasure_tombstone_record")]

    def __str__(self) -> str:
        return f"Erased {self.get_record_type_display().lower()} {self.original_id}"


class ExportKind(models.TextChoices):
    PUPIL = "pupil", "A pupil's concerns"
    OFFICER = "officer", "An officer's records"


class SubjectAccessExport(models.Model):
    """One subject access export: who exported whose data, and when (the file itself is not kept)."""

    kind = models.CharField(max_length=10, choices=ExportKind.choices)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    pupil_reference = models.CharField(max_length=30, blank=True)
    officer = models.ForeignKey("officers.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now, db_index=True)
    contents = models.JSONField(default=dict, help_text="How many records of each kind the export held.")

    class Meta:
        ordering = ["-exported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="pupil") & Q(school__isnull=False) & ~Q(pupil_reference="") & Q(officer__isnull=True)
                )
                | (Q(kind="officer") & Q(officer__isnull=False) & Q(school__isnull=True) & Q(pupil_reference="")),
                name="subject_access_export_names_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access export {self.pk}"


class OfficerDataExport(SubjectAccessExport):
    """The admin page where a force lead or the data protection officer exports an officer's data.

    A proxy with no rows of its own: it carries the permission, and puts the page in the admin's index.
    """

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("export_officer_data", "Can export an officer's personal data")]
        verbose_name = "officer's data export"
        verbose_name_plural = "export an officer's data"
