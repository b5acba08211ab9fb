"""Police officers, the Basic Command Units they belong to, and their school postings."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateformat import format as format_date
from simple_history.models import HistoricalRecords

from access.roles import PortalLoginLink, Viewer
from access.scopes import school_condition
from core.groups import BCU_MANAGER_GROUP


class BCU(models.Model):
    """A police Basic Command Unit, covering one or more local authorities."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    force = models.CharField(max_length=100)
    local_authorities = models.ManyToManyField("schools.LocalAuthority", related_name="bcus", blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_bcus",
        blank=True,
        limit_choices_to={"is_staff": True, "is_active": True, "groups__name": BCU_MANAGER_GROUP},
        help_text=(
            "BCU managers who get this BCU's reminders (training, posting reviews, search referrals). "
            "While none is set, every BCU manager gets them."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "BCU"
        verbose_name_plural = "BCUs"

    def __str__(self) -> str:
        return self.name


class Rank(models.TextChoices):
    # Ordered by seniority: Rank.at_least() relies on this order.
    CONSTABLE = "pc", "Police Constable"
    SERGEANT = "ps", "Sergeant"
    INSPECTOR = "insp", "Inspector"
    CHIEF_INSPECTOR = "ch_insp", "Chief Inspector"
    SUPERINTENDENT = "supt", "Superintendent"
    CHIEF_SUPERINTENDENT = "ch_supt", "Chief Superintendent"

    @classmethod
    def at_least(cls, rank: str) -> list[str]:
        """The ranks equal to or senior to ``rank``."""
        values = list(cls.values)
        return values[values.index(rank) :]


class OfficerRole(models.TextChoices):
    SSO = "sso", "Safer Schools Officer"
    YOUTH_ENGAGEMENT = "yeo", "Youth Engagement Officer"


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    RESTRICTED = "restricted", "Restricted duties"
    LEFT = "left", "Left the role"


class OfficerQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer, *, on: datetime.date | None = None) -> OfficerQuerySet:
        """Every officer for a BCU manager; for anyone else the officers (who have not left)
        holding a current posting on ``on`` at a school the viewer works with."""
        if viewer.is_bcu_manager:
            return self
        serving = Posting.objects.current(on).filter(officer=OuterRef("pk")).visible_to(viewer)
        return self.exclude(status=OfficerStatus.LEFT).filter(Exists(serving))


class Officer(PortalLoginLink, models.Model):
    """A police officer who may be posted to schools.

    ``user``, the officer's portal login, is linked only by accepting an invitation
    (``access.roles.PortalLoginLink``).
    """

    collar_number = models.CharField("collar/warrant number", max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    rank = models.CharField(max_length=10, choices=Rank.choices, default=Rank.CONSTABLE)
    role = models.CharField(max_length=10, choices=OfficerRole.choices, default=OfficerRole.SSO)
    bcu = models.ForeignKey(BCU, verbose_name="BCU", on_delete=models.PROTECT, related_name="officers")
    status = models.CharField(
        max_length=20, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE, db_index=True
    )
    probation_end_date = models.DateField(null=True, blank=True)
    enhanced_vetting_date = models.DateField(
        null=True, blank=True, help_text="Date enhanced vetting was last granted."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer",
        help_text="The officer's portal login, if they have one: linked only by accepting an invitation.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.first_name} {self.last_name} ({self.collar_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def holds_sso_role(self) -> bool:
        """Whether the officer's login acts as an SSO in the portal: only while active (least
        privilege: an officer on leave or restricted duties reads no concerns until active again)."""
        return self.status == OfficerStatus.ACTIVE

    def clean(self) -> None:
        stored = None
        if self.pk is not None:
            stored = Officer.objects.filter(pk=self.pk).values_list("user_id", flat=True).first()
        self.validate_portal_login_link(stored)


class PostingRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class PostingQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> PostingQuerySet:
        """Postings at the schools the viewer works with (``access.scopes.school_condition``)."""
        return self.filter(school_condition(viewer, school="school_id", local_authority="school__local_authority_id"))

    def current(self, on: datetime.date | None = None) -> PostingQuerySet:
        """Postings in force on ``on`` (today by default); ``end_date`` is inclusive."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))

    def covering(self, on: datetime.date | None = None) -> PostingQuerySet:
        """Postings in force on ``on`` by which a serving Safer Schools Officer covers a school:
        a youth engagement officer's posting, or that of an officer who has left, is no SSO cover."""
        return self.current(on).filter(officer__role=OfficerRole.SSO).exclude(officer__status=OfficerStatus.LEFT)

    def overlapping(self, start: datetime.date, end: datetime.date | None) -> PostingQuerySet:
        """Postings whose [start, end] date range shares at least one day with the given one."""
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        if end is not None:
            qs = qs.filter(start_date__lte=end)
        return qs


class Posting(models.Model):
    """An officer's posting to a school, from ``start_date`` to ``end_date`` inclusive.

    The database itself refuses two overlapping *primary* postings of one officer to one
    school (an exclusion constraint on PostgreSQL, triggers on SQLite: see migrations
    0003 and 0006), so no code path, admin or import, can create one.
    """

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="postings")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="postings")
    role = models.CharField(max_length=10, choices=PostingRole.choices, default=PostingRole.PRIMARY)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day of the posting; blank if open-ended.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set only when a BCU manager posted an officer who failed the eligibility check
    # (officers.services.create_posting); kept in the posting's history.
    override_justification = models.TextField(blank=True)
    overridden_reasons = models.TextField(
        blank=True, help_text="The eligibility requirements that were not met when the posting was overridden."
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set only when a BCU manager confirmed a warning (an officer posted outside their BCU, a second
    # current primary posting) on saving (officers.services.posting_warning_fields); kept in the history.
    confirmed_warnings = models.TextField(
        blank=True, help_text="The warnings confirmed when the posting was saved, one a line."
    )
    warnings_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["school", "start_date", "end_date"], name="posting_school_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="posting_ends_after_it_starts",
                violation_error_message="A posting cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} at {self.school.name} ({self.get_role_display()})"

    def clean(self) -> None:
        # Mirrors the database constraint, so forms show a clear message instead of a 500.
        if self.role != PostingRole.PRIMARY or not (self.officer_id and self.school_id and self.start_date):
            return
        clash = (
            Posting.objects.filter(officer_id=self.officer_id, school_id=self.school_id, role=PostingRole.PRIMARY)
            .overlapping(self.start_date, self.end_date)
            .exclude(pk=self.pk)
        )
        if clash.exists():
            raise ValidationError(
                "This officer already has a primary posting to this school that overlaps these dates."
            )


class TrainingCategory(models.TextChoices):
    ADULTIFICATION_BIAS = "adultification_bias", "Adultification bias"
    CULTURAL_COMPETENCY = "cultural_competency", "Cultural competency"
    SAFEGUARDING_CHILDREN = "safeguarding_children", "Safeguarding children"
    TRAUMA_INFORMED = "trauma_informed", "Trauma-informed practice"
    PREVENT = "prevent", "Prevent"
    OTHER = "other", "Other"


class TrainingCourse(models.Model):
    """A course officers take; ``required_for_sso`` courses gate school postings."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=TrainingCategory.choices)
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How long a completion stays current; blank if it never expires.",
    )
    required_for_sso = models.BooleanField("required for the SSO role", default=False, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def expiry_for(self, completed_on: datetime.date) -> datetime.date | None:
        """First day on which a completion on ``completed_on`` is no longer current."""
        if self.validity_months is None:
            return None
        return completed_on + relativedelta(months=self.validity_months)


class TrainingRecord(models.Model):
    """An officer's completion of a course; ``expires_on`` is derived from the course's validity."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="First day the training is no longer current; blank if the course never expires.",
    )
    provider = models.CharField(max_length=200)
    evidence_note = models.TextField(blank=True, help_text="Where the certificate or attendance record is held.")
    met_expectations_score = models.PositiveSmallIntegerField(
        "met expectations (1-5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Participant evaluation: the course met my expectations (1 = not at all, 5 = fully).",
    )
    safeguarding_confidence_score = models.PositiveSmallIntegerField(
        "confidence to safeguard (1-5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Participant evaluation: I feel confident to safeguard children (1 = not at all, 5 = very).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["expires_on"], name="training_record_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(met_expectations_score__isnull=True) | Q(met_expectations_score__range=(1, 5)),
                name="training_met_expectations_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(safeguarding_confidence_score__isnull=True)
                | Q(safeguarding_confidence_score__range=(1, 5)),
                name="training_confidence_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} completed {format_date(self.completed_on, 'j M Y')}"

    def save(self, *args, **kwargs) -> None:
        # Derived, never typed in, so it cannot disagree with the completion date.
        self.expires_on = self.course.expiry_for(self.completed_on) if self.completed_on else None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "Training cannot be recorded as completed in the future."})


class SuitabilityOutcome(models.TextChoices):
    PASSED = "passed", "Passed"
    NOT_PASSED = "not_passed", "Not passed"


class SuitabilityAssessment(models.Model):
    """A panel's assessment of an officer's proven ability to engage with children."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="suitability_assessments")
    assessed_on = models.DateField()
    panel_included_young_people = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=SuitabilityOutcome.choices)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {format_date(self.assessed_on, 'j M Y')}"

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": "An assessment cannot be recorded before it has taken place."})
