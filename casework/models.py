"""The transfer of a pupil's child protection file to a new school, police attendances on site, and
professional challenges between partners.

Pupils are named by the school's pseudonymous reference only (``safeguarding.Pupil``). Who may
read each record is answered by ``Model.objects.visible_to(request.portal_roles)``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from access.roles import Viewer

# Transfers of the child protection file.


class TransferStatus(models.TextChoices):
    SENT = "sent", "Sent"
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


class TransferMethod(models.TextChoices):
    """How a file went to a school outside the portal (a transfer inside it is sent in the portal)."""

    SECURE_EMAIL = "secure_email", "Secure e-mail"
    SECURE_UPLOAD = "secure_upload", "Secure file transfer service"
    COURIER = "courier", "Courier"
    BY_HAND = "by_hand", "By hand"
    RECORDED_POST = "recorded_post", "Recorded post"


OPEN_TRANSFER_STATUSES = (TransferStatus.SENT, TransferStatus.RECEIVED)


class FileTransferQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> FileTransferQuerySet:
        """Transfers the viewer may see: those a DSL's school sent, and those sent to a DSL's school.

        A transfer exists only once it is sent, so the receiving school sees nothing before then.
        Nobody else sees any: no officer, manager, council reader or API client.
        """
        schools = viewer.dsl_school_ids
        if not schools:
            return self.none()
        return self.filter(Q(from_school_id__in=schools) | Q(to_school_id__in=schools))

    def open(self) -> FileTransferQuerySet:
        return self.exclude(status=TransferStatus.ACKNOWLEDGED)


class FileTransfer(models.Model):
    """A pupil's child protection file sent by the old school's DSL to the new school.

    To a school in the portal: the new school's DSLs read a copy taken when it was sent
    (``snapshot``); the first of them to open it marks it received, and one acknowledges it, which
    starts the new school's own pupil record (``receiving_pupil``). To a school outside the portal:
    the old school records how and when it sent the file, then who confirmed its receipt and when.
    The old school's own record stays where it is, under the retention rules.
    """

    pupil = models.ForeignKey("safeguarding.Pupil", on_delete=models.PROTECT, related_name="transfers_out")
    from_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="transfers_out")
    to_school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        help_text="The new school, when it is in the portal.",
    )
    outside_school_name = models.CharField(
        "new school (outside the portal)",
        max_length=200,
        blank=True,
        help_text="The new school's name and town, when it is not in the portal.",
    )
    method = models.CharField(
        "how the file was sent", max_length=20, choices=TransferMethod.choices, blank=True, help_text="Outside only."
    )
    status = models.CharField(max_length=20, choices=TransferStatus.choices, default=TransferStatus.SENT)
    sent_on = models.DateField("date sent")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField("recorded at", default=timezone.now)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Outside the portal: who at the new school confirmed receipt, and when.
    receipt_confirmed_by = models.CharField(
        "receipt confirmed by", max_length=200, blank=True, help_text="Name and role of who confirmed receipt."
    )
    receipt_confirmed_on = models.DateField("receipt confirmed on", null=True, blank=True)
    receiving_pupil = models.OneToOneField(
        "safeguarding.Pupil",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfer_in",
        help_text="The new school's own record of the pupil, started when it acknowledged the file.",
    )
    # The read-only copy: the pupil's concerns with their chronology and attachment names, as they
    # were when the file was sent (``casework.services.file_snapshot``). Never shown to the old school.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)

    objects = FileTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(status__in=["sent", "received"]),
                name="transfer_one_open_per_pupil",
                violation_error_message="This pupil's file already has a transfer that is not acknowledged.",
            ),
            models.CheckConstraint(
                condition=Q(to_school__isnull=True) | ~Q(to_school=models.F("from_school")),
                name="transfer_not_to_the_same_school",
                violation_error_message="A file cannot be transferred to the school that holds it.",
            ),
            models.CheckConstraint(
                condition=(Q(to_school__isnull=False, outside_school_name="", method=""))
                | (Q(to_school__isnull=True) & ~Q(outside_school_name="") & ~Q(method="")),
                name="transfer_in_portal_or_outside",
                violation_error_message="A transfer goes either to a school in the portal or to one outside it.",
            ),
        ]

    def __str__(self) -> str:
        return f"File transfer {self.pk}"

    @property
    def is_outside(self) -> bool:
        return self.to_school_id is None

    @property
    def destination(self) -> str:
        return self.outside_school_name if self.is_outside else self.to_school.name

    @property
    def is_open(self) -> bool:
        return self.status != TransferStatus.ACKNOWLEDGED

    def clean(self) -> None:
        errors = {}
        if self.pupil_id and self.from_school_id and self.pupil.school_id != self.from_school_id:
            errors["pupil"] = "This pupil is not on the sending school's roll."
        if self.to_school_id and self.to_school_id == self.from_school_id:
            errors["to_school"] = (
                "Choose a different school: the file cannot be transferred to the school that holds it."
            )
        if self.is_outside:
            if not self.outside_school_name.strip():
                errors["outside_school_name"] = "Enter the new school's name and town"
            if not self.method:
                errors["method"] = "Choose how the file was sent"
        if self.sent_on and self.sent_on > timezone.localdate():
            errors["sent_on"] = "The date the file was sent must be today or in the past"
        if self.receipt_confirmed_on and self.sent_on and self.receipt_confirmed_on < self.sent_on:
            errors["receipt_confirmed_on"] = "The receipt cannot be before the date the file was sent"
        if self.receipt_confirmed_on and self.receipt_confirmed_on > timezone.localdate():
            errors["receipt_confirmed_on"] = "The date of the receipt must be today or in the past"
        if self.pupil_id and self.is_open and not errors:
            others = FileTransfer.objects.open().filter(pupil_id=self.pupil_id).exclude(pk=self.pk)
            if others.exists():
                errors["pupil_reference"] = "This pupil's file already has a transfer that is not acknowledged."
        if errors:
            raise ValidationError(errors)


class TransferEvent(models.TextChoices):
    SENT = "sent", "Sent"
    RECEIVED = "received", "Received (first opened)"
    VIEWED = "viewed", "Read the transferred file"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RECEIPT_RECORDED = "receipt_recorded", "Receipt recorded"


class TransferAuditEntry(models.Model):
    """Who did what to a transfer, and who read the transferred file, and when (never its contents)."""

    transfer = models.ForeignKey(FileTransfer, on_delete=models.CASCADE, related_name="audit_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=20, choices=TransferEvent.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "transfer audit entries"

    def __str__(self) -> str:
        return f"{self.get_event_display()}: transfer {self.transfer_id} by user {self.user_id}"


# Police attendance on site.


class AttendancePurpose(models.TextChoices):
    ARREST = "arrest", "To arrest a pupil"
    INTERVIEW = "interview", "To speak to or interview a pupil"
    SEARCH = "search", "To search a pupil"
    WELFARE = "welfare", "Welfare check or safeguarding visit"
    INCIDENT = "incident", "Called to an incident at school"
    INFORMATION = "information", "To give or ask for information"
    OTHER = "other", "Other"


class PoliceAttendanceQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> PoliceAttendanceQuerySet:
        """A DSL's schools' records; nobody else's (they hold what happened to a named pupil)."""
        if not viewer.dsl_school_ids:
            return self.none()
        return self.filter(school_id__in=viewer.dsl_school_ids)


class PoliceAttendance(models.Model):
    """Police attending school for a pupil, outside the Safer Schools Officer's routine, as the
    DSL records it: who came, why, whether a parent was told and an appropriate adult present, and
    whether the school challenged anything (the Child Q review: staff deferred to the police)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="police_attendances")
    pupil = models.ForeignKey("safeguarding.Pupil", on_delete=models.PROTECT, related_name="police_attendances")
    attended_at = models.DateTimeField("date and time of attendance")
    posted_officer = models.ForeignKey(
        "officers.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The school's own Safer Schools Officer, when it was them.",
    )
    officer_name = models.CharField("officer's name", max_length=100, blank=True)
    collar_number = models.CharField("collar number", max_length=20, blank=True)
    purpose = models.CharField(max_length=20, choices=AttendancePurpose.choices)
    purpose_detail = models.TextField("what happened", max_length=5000)
    parent_contacted = models.BooleanField("parent or carer contacted")
    appropriate_adult_present = models.BooleanField("appropriate adult present")
    school_challenged = models.BooleanField("the school challenged something")
    challenge_detail = models.TextField("what the school challenged", max_length=5000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = PoliceAttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["-attended_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school_challenged=False) | ~Q(challenge_detail=""),
                name="attendance_challenge_has_detail",
                violation_error_message="Say what the school challenged.",
            ),
        ]

    def __str__(self) -> str:
        return f"Police attendance {self.pk}"

    @property
    def officer_description(self) -> str:
        if self.posted_officer_id:
            return f"{self.posted_officer} (the school's Safer Schools Officer)"
        return ", ".join(part for part in (self.officer_name, self.collar_number) if part)

    def clean(self) -> None:
        errors = {}
        if not self.posted_officer_id and not (self.officer_name.strip() or self.collar_number.strip()):
            errors["officer_name"] = "Enter the officer's name or collar number, or choose the posted officer"
        if self.attended_at and self.attended_at > timezone.now():
            errors["attended_at"] = "The date and time of the attendance must be in the past"
        if self.school_challenged and not self.challenge_detail.strip():
            errors["challenge_detail"] = "Say what the school challenged"
        if errors:
            raise ValidationError(errors)


# Professional challenge.


class ChallengeStage(models.TextChoices):
    """The escalation stages of a partnership's escalation policy, in order."""

    PRACTITIONER = "practitioner", "Practitioner to practitioner"
    MANAGER = "manager", "Manager to manager"
    PARTNERSHIP = "partnership", "Safeguarding partnership"


STAGE_ORDER = list(ChallengeStage.values)


class ChallengedAgency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education (another school or the local authority)"
    EARLY_HELP = "early_help", "Early help"
    OTHER = "other", "Other agency"


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class ProfessionalChallengeQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> ProfessionalChallengeQuerySet:
        """A DSL's schools' challenges, and those an SSO opened at their current schools.

        Managers and council readers read counts only (``counts_visible_to``), never a challenge.
        """
        condition = Q(pk__in=[])
        if viewer.dsl_school_ids:
            condition |= Q(school_id__in=viewer.dsl_school_ids)
        if viewer.sso_school_ids and getattr(viewer, "user", None) is not None:
            condition |= Q(school_id__in=viewer.sso_school_ids, opened_by=viewer.user)
        return self.filter(condition)

    def open(self) -> ProfessionalChallengeQuerySet:
        return self.filter(status=ChallengeStatus.OPEN)


class ProfessionalChallenge(models.Model):
    """A disagreement about a decision for a child, raised with another agency and escalated
    through the partnership's stages until it is resolved."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="challenges")
    pupil = models.ForeignKey("safeguarding.Pupil", on_delete=models.PROTECT, related_name="challenges")
    agency = models.CharField("agency challenged", max_length=20, choices=ChallengedAgency.choices)
    decision = models.TextField("decision challenged", max_length=5000)
    reason = models.TextField("why the decision is challenged", max_length=5000)
    stage = models.CharField(max_length=20, choices=ChallengeStage.choices, default=ChallengeStage.PRACTITIONER)
    status = models.CharField(max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField("date opened", default=timezone.localdate)
    opened_at = models.DateTimeField(default=timezone.now)
    resolution = models.TextField(max_length=5000, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The latest dated step (opening, response, escalation): reminders count from it.
    last_step_on = models.DateField(default=timezone.localdate)

    objects = ProfessionalChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "stage"], name="challenge_status_stage")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="resolved", resolved_on__isnull=False) & ~Q(resolution=""))
                | Q(status="open", resolved_on__isnull=True, resolution=""),
                name="challenge_resolution_only_when_resolved",
                violation_error_message="A resolved challenge has a resolution and its date; an open one none.",
            ),
        ]

    def __str__(self) -> str:
        return f"Professional challenge {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == ChallengeStatus.OPEN

    @property
    def next_stage(self) -> str | None:
        index = STAGE_ORDER.index(self.stage)
        return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None

    @property
    def days_to_resolve(self) -> int | None:
        return (self.resolved_on - self.opened_on).days if self.resolved_on else None

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.opened_on and self.opened_on > today:
            errors["opened_on"] = "The date the challenge was opened must be today or in the past"
        if self.resolved_on and self.opened_on and self.resolved_on < self.opened_on:
            errors["resolved_on"] = "The date of the resolution cannot be before the challenge was opened"
        if self.resolved_on and self.resolved_on > today:
            errors["resolved_on"] = "The date of the resolution must be today or in the past"
        if self.status == ChallengeStatus.RESOLVED and not self.resolution.strip():
            errors["resolution"] = "Describe how the challenge was resolved"
        if errors:
            raise ValidationError(errors)


class StepKind(models.TextChoices):
    OPENED = "opened", "Challenge opened"
    RESPONSE = "response", "Response"
    ESCALATED = "escalated", "Escalated"
    RESOLVED = "resolved", "Resolved"


class ChallengeStep(models.Model):
    """One dated step of a challenge: its opening, each response, each escalation, its resolution."""

    challenge = models.ForeignKey(ProfessionalChallenge, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    stage = models.CharField(max_length=20, choices=ChallengeStage.choices, help_text="The stage it was at.")
    on = models.DateField("date")
    responder = models.CharField(
        "who responded", max_length=200, blank=True, help_text="Name and role of who responded, for a response."
    )
    summary = models.TextField(max_length=5000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on challenge {self.challenge_id}"

    def clean(self) -> None:
        errors = {}
        if self.on and self.on > timezone.localdate():
            errors["on"] = "The date must be today or in the past"
        if self.on and self.challenge_id and self.on < self.challenge.opened_on:
            errors["on"] = "The date cannot be before the challenge was opened"
        if errors:
            raise ValidationError(errors)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in London at the start of ``day``, for a date-only record in the chronology."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
