"""Safeguarding concerns logged by school DSLs, their chronology, attachments and audit trail.

A concern names a pupil only by the school's own pseudonymous reference. Who may see a
concern is answered by ``Concern.objects.visible_to(request.portal_roles)``; every portal view starts there.
"""

from __future__ import annotations

import datetime
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from access.roles import Viewer


class Category(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EXPLOITATION = "exploitation", "Exploitation"
    ONLINE = "online", "Online safety"
    BULLYING = "bullying", "Bullying"
    MENTAL_HEALTH = "mental_health", "Mental health"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    IMMEDIATE = "immediate", "Immediate risk of harm"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    REFERRED = "referred", "Referred to children's social care"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    MONITORING = "monitoring", "Monitoring in school"
    EARLY_HELP = "early_help", "Early help"
    SOCIAL_CARE = "social_care", "Children's social care involvement"
    POLICE = "police", "Police action"
    OTHER = "other", "Other outcome"


class YearGroup(models.TextChoices):
    NURSERY = "N", "Nursery"
    RECEPTION = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"


# The workflow: which statuses a concern may move to from each status.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ConcernStatus.OPEN: (ConcernStatus.UNDER_REVIEW, ConcernStatus.REFERRED, ConcernStatus.CLOSED),
    ConcernStatus.UNDER_REVIEW: (ConcernStatus.OPEN, ConcernStatus.REFERRED, ConcernStatus.CLOSED),
    ConcernStatus.REFERRED: (ConcernStatus.UNDER_REVIEW, ConcernStatus.CLOSED),
    # A closed concern can be reopened if new information comes to light.
    ConcernStatus.CLOSED: (ConcernStatus.OPEN,),
}
ACTIVE_STATUSES = (ConcernStatus.OPEN, ConcernStatus.UNDER_REVIEW)

# Letters, digits, "-" and "/" only: a school's reference code, which keeps names out.
pupil_reference_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9/-]{1,29}$",
    "Enter the school's pupil reference (2 to 30 letters, digits, hyphens or slashes, no spaces), not a name.",
)


class PupilQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> PupilQuerySet:
        """Pupils whose record the viewer may read: a DSL's own schools only."""
        if not viewer.dsl_school_ids:
            return self.none()
        return self.filter(school_id__in=viewer.dsl_school_ids)


class Pupil(models.Model):
    """A pupil of one school, known only by the school's own pseudonymous reference.

    Everything the school records about the child hangs from here (concerns, and through them the
    chronology), so that one record follows the pupil rather than one incident.
    """

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="pupils")
    reference = models.CharField(
        "pupil reference",
        max_length=30,
        validators=[pupil_reference_validator],
        help_text="The school's pseudonymous reference for the pupil, never their name.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["school", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["school", "reference"], name="pupil_reference_unique_per_school"),
        ]

    def __str__(self) -> str:
        # The reference only: it is the school's code, never a name, and it is what staff search for.
        return self.reference


def pupil_of(school_id: int, reference: str) -> Pupil:
    """The school's pupil with this reference, created on first mention."""
    pupil, _ = Pupil.objects.get_or_create(school_id=school_id, reference=reference.strip().upper())
    return pupil


class ConcernQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> ConcernQuerySet:
        """Concerns the viewer may read: a DSL's own schools; an SSO's shared concerns of current postings.

        BCU managers, council readers and API clients see no concern contents (aggregate counts only).
        """
        condition = Q(pk__in=[])
        if viewer.dsl_school_ids:
            condition |= Q(school_id__in=viewer.dsl_school_ids)
        if viewer.sso_school_ids:
            condition |= Q(school_id__in=viewer.sso_school_ids, shared_with_police=True)
        return self.filter(condition)

    def active(self) -> ConcernQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def passed_on_by(self, roles) -> ConcernQuerySet:
        """What an SSO passed to the DSLs of their current schools: the SSO sees these as they sent
        them (``Concern.objects.visible_to`` gives them the whole concern once a DSL shares it back)."""
        if not roles.sso_school_ids:
            return self.none()
        return self.filter(raised_by_sso=True, logged_by=roles.user, school_id__in=roles.sso_school_ids)


class Concern(models.Model):
    """A safeguarding concern about one pupil, logged by a school DSL."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="concerns")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="concerns", editable=False)
    pupil_reference = models.CharField(
        max_length=30,
        validators=[pupil_reference_validator],
        help_text="The school's pseudonymous reference for the pupil, never their name.",
    )
    year_group = models.CharField(max_length=2, choices=YearGroup.choices)
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    description = models.TextField(help_text="What happened, who said what, and when.")
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN, db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    shared_with_police = models.BooleanField(default=False)
    raised_by_sso = models.BooleanField(
        "from the SSO",
        default=False,
        help_text="Passed to the school's DSLs by its Safer Schools Officer (who is ``logged_by``).",
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"], name="concern_school_status")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=ConcernStatus.CLOSED) & ~Q(outcome=""))
                | (~Q(status=ConcernStatus.CLOSED) & Q(outcome="")),
                name="concern_outcome_only_when_closed",
                violation_error_message="A closed concern needs an outcome; an open one has none.",
            ),
            models.CheckConstraint(
                condition=Q(shared_with_police=False) | Q(shared_at__isnull=False),
                name="concern_shared_has_time",
            ),
        ]

    def __str__(self) -> str:
        # Deliberately no pupil reference or description: __str__ ends up in logs and admin.
        return f"Concern {self.pk}"

    def save(self, *args, **kwargs) -> None:
        # The reference is what people type; the pupil record follows it, so a corrected reference
        # moves the concern to the right pupil's chronology.
        reference = (self.pupil_reference or "").strip().upper()
        if self.pupil_id is None or self.pupil.reference != reference or self.pupil.school_id != self.school_id:
            self.pupil = pupil_of(self.school_id, reference)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.status == ConcernStatus.CLOSED and not self.outcome:
            raise ValidationError({"outcome": "Choose the outcome when closing a concern."})
        if self.status != ConcernStatus.CLOSED and self.outcome:
            raise ValidationError({"outcome": "Only a closed concern has an outcome."})


class ConcernAction(models.Model):
    """One dated entry in a concern's chronology: what was done, by whom."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="actions")
    taken_on = models.DateField("date of action")
    summary = models.TextField("what was done")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk} on concern {self.concern_id}"

    def clean(self) -> None:
        if self.taken_on and self.taken_on > timezone.localdate():
            raise ValidationError({"taken_on": "The date of the action cannot be in the future."})


@deconstructible
class PrivateMediaStorage(FileSystemStorage):
    """Files kept outside MEDIA_ROOT with no public URL: served only by access-checked views."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @cached_property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _clear_cached_properties(self, setting, **kwargs) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL; use the portal's download view.")


ATTACHMENT_FOLDER = "concern-attachments"


def attachment_path(instance: ConcernAttachment, filename: str) -> str:
    # A random name: the pupil-related original name is kept in the database only.
    extension = os.path.splitext(filename)[1].lower()
    return f"{ATTACHMENT_FOLDER}/{uuid.uuid4().hex}{extension}"


class ConcernAttachment(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=PrivateMediaStorage())
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Attachment {self.pk} of concern {self.concern_id}"


class AuditEvent(models.TextChoices):
    CREATED = "created", "Created"
    VIEWED = "viewed", "Viewed"
    CHANGED = "changed", "Changed"
    ACTION_ADDED = "action_added", "Chronology action added"
    SHARED = "shared", "Shared with police"
    ATTACHMENT_ADDED = "attachment_added", "Attachment added"
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", "Attachment downloaded"
    STAFF_REPORT_ADDED = "staff_report_added", "Staff report added"
    BODY_MARK_ADDED = "body_mark_added", "Body map mark added"


class AuditChannel(models.TextChoices):
    """Where a concern was read or changed: the DSL portal, or the admin (police staff)."""

    PORTAL = "portal", "Portal"
    ADMIN = "admin", "Admin"


# The events that are reads of a concern's contents, not changes to it.
READ_EVENTS = (AuditEvent.VIEWED, AuditEvent.ATTACHMENT_DOWNLOADED)


class ConcernAuditEntryQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> ConcernAuditEntryQuerySet:
        """The access log a viewer may read in the portal: a DSL's schools' concerns; nobody else any.

        Officers, BCU managers, council readers and API clients read none of it. The data
        protection officer exports it from the admin, by permission.
        """
        if not viewer.dsl_school_ids:
            return self.none()
        return self.filter(concern__school_id__in=viewer.dsl_school_ids)


class ConcernAuditEntry(models.Model):
    """Who did what to which concern, and when: never the concern's text, only field names.

    Field values before and after each change are kept by django-simple-history
    (``Concern.history``); this log adds the reads (views and downloads) that history cannot,
    in the portal and in the admin alike (``channel``).
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="audit_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=30, choices=AuditEvent.choices)
    channel = models.CharField(max_length=10, choices=AuditChannel.choices, default=AuditChannel.PORTAL)
    fields = models.CharField(max_length=255, blank=True, help_text="Names of the fields changed, never values.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ConcernAuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "concern audit entry"
        verbose_name_plural = "concern audit entries"
        permissions = [("export_concernauditentry", "Can export the concern access log")]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: concern {self.concern_id} by user {self.user_id}"


class AccessLogExport(models.Model):
    """One export of the concern access log: who exported which entries, and when.

    Written before the file is sent, so an export is recorded even if the download is broken off.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("exported at", default=timezone.now, db_index=True)
    filters = models.TextField(
        blank=True, help_text="The filters of the export, as in the list's address; blank for all."
    )
    rows = models.PositiveIntegerField(help_text="How many audit entries the export held.")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log export"
        verbose_name_plural = "access log exports"

    def __str__(self) -> str:
        return f"Access log export {self.pk} by user {self.user_id}"


# The school's whole safeguarding record: staff reports triaged by the DSL, tasks, body-map marks.


class StaffReportStatus(models.TextChoices):
    NEW = "new", "Waiting for the DSL"
    ACCEPTED = "accepted", "Accepted as a new concern"
    LINKED = "linked", "Added to an existing concern"
    CLOSED = "closed", "Closed: no further action"


class StaffReportQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> StaffReportQuerySet:
        """A DSL: every report of their schools. A member of staff: only what they reported
        themselves, while they are on that school's staff. Nobody else any."""
        condition = Q(pk__in=[])
        if viewer.dsl_school_ids:
            condition |= Q(school_id__in=viewer.dsl_school_ids)
        staff_school_ids = getattr(viewer, "staff_school_ids", frozenset())
        user = getattr(viewer, "user", None)
        if staff_school_ids and user is not None:
            condition |= Q(school_id__in=staff_school_ids, reported_by=user)
        return self.filter(condition)

    def waiting(self) -> StaffReportQuerySet:
        return self.filter(status=StaffReportStatus.NEW)


class StaffReport(models.Model):
    """What a member of staff saw or heard about a pupil, for the school's DSL to triage."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="staff_reports")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="staff_reports", editable=False)
    pupil_reference = models.CharField(
        max_length=30,
        validators=[pupil_reference_validator],
        help_text="The school's pseudonymous reference for the pupil, never their name.",
    )
    what_happened = models.TextField("what you saw or heard")
    happened_on = models.DateField("when")
    location = models.CharField("where", max_length=200)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(
        max_length=10, choices=StaffReportStatus.choices, default=StaffReportStatus.NEW, db_index=True
    )
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="staff_reports")
    closed_reason = models.TextField("reason for no further action", blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    objects = StaffReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "linked"], concern__isnull=False)
                | Q(status__in=["new", "closed"], concern__isnull=True),
                name="staff_report_concern_when_accepted_or_linked",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_reason__gt="") | (~Q(status="closed") & Q(closed_reason="")),
                name="staff_report_reason_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Staff report {self.pk}"

    def save(self, *args, **kwargs) -> None:
        reference = (self.pupil_reference or "").strip().upper()
        if self.pupil_id is None or self.pupil.reference != reference or self.pupil.school_id != self.school_id:
            self.pupil = pupil_of(self.school_id, reference)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.happened_on and self.happened_on > timezone.localdate():
            raise ValidationError({"happened_on": "The date cannot be in the future."})


class StaffReportEventKind(models.TextChoices):
    REPORTED = "reported", "Reported by staff"
    VIEWED = "viewed", "Viewed"
    ACCEPTED = "accepted", "Accepted as a new concern"
    LINKED = "linked", "Added to an existing concern"
    CLOSED = "closed", "Closed with no further action"


class StaffReportEvent(models.Model):
    """The audit trail of a staff report: who reported, read and triaged it, and when (no text)."""

    report = models.ForeignKey(StaffReport, on_delete=models.PROTECT, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=10, choices=StaffReportEventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: staff report {self.report_id} by user {self.user_id}"


class TaskQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> TaskQuerySet:
        """A DSL: every task of their schools; anyone else: the tasks assigned to them at a school
        where they are still on the staff (or a DSL)."""
        condition = Q(pk__in=[])
        if viewer.dsl_school_ids:
            condition |= Q(school_id__in=viewer.dsl_school_ids)
        staff_school_ids = getattr(viewer, "staff_school_ids", frozenset())
        user = getattr(viewer, "user", None)
        if staff_school_ids and user is not None:
            condition |= Q(school_id__in=staff_school_ids, assigned_to=user)
        return self.filter(condition)

    def open(self) -> TaskQuerySet:
        return self.filter(completed_at__isnull=True)

    def overdue(self, on: datetime.date) -> TaskQuerySet:
        return self.open().filter(due_on__lt=on)


class Task(models.Model):
    """Something to do about a pupil, for one named member of staff or DSL of the school, by a date.

    Made from an entry of the pupil's chronology (``about``: the entry's key, such as "concern:12",
    and ``about_title`` its heading then), or for the pupil generally.
    """

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="tasks")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="tasks")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    staff_report = models.ForeignKey(
        StaffReport, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    about = models.CharField(max_length=40, blank=True, help_text="The chronology entry's key, blank for the pupil.")
    about_title = models.CharField(max_length=200, blank=True)
    description = models.CharField("what needs doing", max_length=500)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["completed_at", "due_on"], name="task_open_due")]

    def __str__(self) -> str:
        return f"Task {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.completed_at is None and self.due_on < timezone.localdate()


class BodyView(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


class BodyMapMark(models.Model):
    """One place marked on a concern's body outline, with a note: coordinates from 0 to 1000 across
    and down the outline's square (``safeguarding.bodymap``), and the region they fall in."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="body_marks")
    view = models.CharField(max_length=5, choices=BodyView.choices)
    x = models.PositiveSmallIntegerField(validators=[MaxValueValidator(1000)])
    y = models.PositiveSmallIntegerField(validators=[MaxValueValidator(1000)])
    region = models.CharField(max_length=30, blank=True, help_text="Set from the point by clean().")
    note = models.CharField("what you saw", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Body map mark {self.pk} on concern {self.concern_id}"

    def clean(self) -> None:
        from safeguarding.bodymap import region_at

        if self.view in BodyView.values and self.x is not None and self.y is not None:
            region = region_at(self.view, self.x, self.y)
            if region is None:
                raise ValidationError({"x": "Mark a place on the body outline, not beside it."})
            self.region = region.key
