"""The Safer Schools Officer's workspace: the activity log, its categories, objectives per
posting, touchdown points in schools and the directory of youth services by ward.

Rules about what an activity must hold live in ``workspace.services``; this module holds the
data, the vocabularies and the querysets that scope it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from access.roles import Viewer
from access.scopes import school_condition
from core.lookups import id_set
from safeguarding.models import pupil_reference_validator

# Free text in the activity log is about work with children: it must never name one.
NO_NAMES_HINT = "Never a pupil's name: use the school's pupil reference where a pupil must be identified."


class ActivityDetails(models.TextChoices):
    """What an activity of a category records beyond its school, date and notes (the form's shape).

    The categories themselves are data (``ActivityCategory``, edited in the admin); these are the
    few shapes a category's form can take.
    """

    VISIT = "visit", "Nothing more (a visit or check)"
    SESSION = "session", "A session: topic, year group, pupils reached, what young people said"
    SUPPORT = "support", "Support of one pupil: kind of support and the school's pupil reference"
    DIVERSION = "diversion", "A diversion referral: the service referred to, and its outcome later"
    YOUTH_SERVICE = "youth_service", "Youth service engagement: which service"


class ActivityCategoryQuerySet(models.QuerySet):
    def active(self) -> ActivityCategoryQuerySet:
        return self.filter(is_active=True)


class ActivityCategory(models.Model):
    """A kind of work an SSO logs (school visit, PSHE session, mentoring...): kept by BCU managers."""

    name = models.CharField(max_length=100, unique=True)
    details = models.CharField(
        max_length=20,
        choices=ActivityDetails.choices,
        default=ActivityDetails.VISIT,
        help_text="What the SSO records for an activity of this category.",
    )
    hint = models.CharField(max_length=200, blank=True, help_text="Shown under the category's name to the SSO.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Categories are listed by this number.")
    is_active = models.BooleanField(
        default=True, help_text="Retired categories keep their activities but are no longer offered."
    )

    objects = ActivityCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "activity categories"

    def __str__(self) -> str:
        return self.name


class SupportKind(models.TextChoices):
    VICTIM = "victim", "Victim of crime"
    PERPETRATOR = "perpetrator", "Perpetrator of crime"
    AT_RISK = "at_risk", "At risk"


class YearGroup(models.TextChoices):
    """Secondary and primary year groups a session is given to, or several."""

    Y1_Y2 = "1-2", "Years 1 and 2"
    Y3_Y4 = "3-4", "Years 3 and 4"
    Y5_Y6 = "5-6", "Years 5 and 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12_Y13 = "12-13", "Years 12 and 13 (sixth form)"
    MIXED = "mixed", "Several year groups"


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> ActivityQuerySet:
        """BCU managers: every activity; an SSO: their own, at the schools of their current postings.
        Nobody else reads an activity itself (DSLs and council readers get counts, elsewhere)."""
        if viewer.is_bcu_manager:
            return self
        # Only a portal login has an officer; an API client never reads activities.
        officer = getattr(viewer, "officer", None)
        if officer is None or not viewer.sso_school_ids:
            return self.none()
        return self.filter(officer_id=officer.pk, school_id__in=viewer.sso_school_ids)

    def counted_for(self, viewer: Viewer) -> ActivityQuerySet:
        """Activities that may feed the viewer's suppressed counts, never shown as rows: every one for
        a BCU manager; those at schools of a council reader's (or API client's) local authorities;
        a DSL's own schools' (the aggregate their school is shown)."""
        if viewer.is_bcu_manager:
            return self
        authorities = viewer.readable_local_authority_ids | viewer.granted_local_authority_ids
        condition = Q(pk__in=[])
        if authorities:
            condition |= Q(school__local_authority_id__any_of=id_set(authorities))
        if viewer.dsl_school_ids:
            condition |= Q(school_id__in=viewer.dsl_school_ids)
        return self.filter(condition)

    def for_pupil_record(self, viewer: Viewer, *, school_id: int, reference: str) -> ActivityQuerySet:
        """The SSO's support or referral of one pupil, for the pupil record of a DSL of that school:
        the date, kind and service only are shown there (never the officer's notes)."""
        if school_id not in viewer.dsl_school_ids:
            return self.none()
        return self.filter(school_id=school_id, pupil_reference__iexact=reference)

    def between(self, date_from: datetime.date, date_to: datetime.date) -> ActivityQuerySet:
        return self.filter(occurred_on__gte=date_from, occurred_on__lte=date_to)


class Activity(models.Model):
    """One piece of an SSO's work at one of their schools, on one day."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.PROTECT, related_name="activities")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="activities")
    category = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT, related_name="activities")
    occurred_on = models.DateField("date", db_index=True)
    notes = models.TextField(blank=True, help_text=NO_NAMES_HINT)

    # A session (PSHE or curriculum input).
    topic = models.CharField(max_length=200, blank=True)
    year_group = models.CharField(max_length=10, choices=YearGroup.choices, blank=True)
    pupils_reached = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    young_people_said = models.TextField("what young people said", blank=True, help_text=NO_NAMES_HINT)

    # Support of one pupil (one-to-one, mentoring, after an incident).
    support_kind = models.CharField("the pupil is", max_length=20, choices=SupportKind.choices, blank=True)
    pupil_reference = models.CharField(
        "school's pupil reference",
        max_length=30,
        blank=True,
        validators=[pupil_reference_validator],
        help_text="The school's pseudonymous reference for the pupil (ask the DSL), never their name.",
    )

    # A diversion referral.
    referred_to = models.CharField("service referred to", max_length=200, blank=True)
    referral_outcome = models.TextField("outcome of the referral", blank=True, help_text=NO_NAMES_HINT)

    # Youth service engagement.
    youth_service = models.ForeignKey(
        "YouthService", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["officer", "occurred_on"], name="activity_officer_date")]

    def __str__(self) -> str:
        return f"{self.category} at {self.school} on {self.occurred_on:%d %b %Y}"


class TouchdownPoint(models.Model):
    """Where a school's SSO can work when in school: set by the school's DSL or a BCU manager."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="touchdown_point")
    room = models.CharField(max_length=100, help_text="For example: the room beside the pastoral office.")
    access_notes = models.TextField(
        blank=True, help_text="How to get in: reception, sign-in, key or code holder (no codes themselves)."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.room} ({self.school})"


class ObjectivePeriod(models.TextChoices):
    TERM = "term", "Per school term"
    YEAR = "year", "Per school year"
    POSTING = "posting", "Over the whole posting"


class ObjectiveQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> ObjectiveQuerySet:
        """The objectives of postings at the schools the viewer works with (as ``Posting``)."""
        return self.filter(
            school_condition(
                viewer, school="posting__school_id", local_authority="posting__school__local_authority_id"
            )
        )


class Objective(models.Model):
    """A target set on a posting by the BCU manager with the school: so many activities of one
    category per term, per school year or over the posting. Progress is counted from the log."""

    posting = models.ForeignKey("officers.Posting", on_delete=models.CASCADE, related_name="objectives")
    category = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT, related_name="objectives")
    target = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(1000)])
    period = models.CharField(max_length=10, choices=ObjectivePeriod.choices, default=ObjectivePeriod.TERM)
    description = models.CharField(
        max_length=200, blank=True, help_text="What the school and the BCU agreed, in a line (optional)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["posting", "category__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "category", "period"],
                name="one_objective_per_posting_category_period",
                violation_error_message="This posting already has an objective for this category and period.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} × {self.category} ({self.get_period_display().lower()})"


class Operator(models.TextChoices):
    COUNCIL = "council", "Council"
    VOLUNTARY = "voluntary", "Voluntary or community sector"
    OTHER = "other", "Other"


class Relationship(models.TextChoices):
    ESTABLISHED = "established", "Established: regular contact"
    DEVELOPING = "developing", "Developing"
    NOT_STARTED = "not_started", "Not yet made"
    PAUSED = "paused", "Paused"


class YouthServiceQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> YouthServiceQuerySet:
        """Every service for a BCU manager; an SSO: those in the wards of their schools. The
        directory holds no child's data, but an SSO works only with their own wards."""
        if viewer.is_bcu_manager:
            return self
        if not viewer.sso_school_ids:
            return self.none()
        return self.filter(ward__schools__id__any_of=id_set(viewer.sso_school_ids)).distinct()

    def contact_overdue(self, on: datetime.date, months: int) -> YouthServiceQuerySet:
        """Services in a relationship (established or developing) with no contact for ``months``."""
        from dateutil.relativedelta import relativedelta

        bound = on - relativedelta(months=months)
        return self.filter(relationship__in=[Relationship.ESTABLISHED, Relationship.DEVELOPING]).filter(
            Q(last_contact_on__isnull=True, created_at__date__lte=bound) | Q(last_contact_on__lte=bound)
        )


class YouthService(models.Model):
    """A youth centre or youth service in a ward, and the police's relationship with it."""

    ward = models.ForeignKey("schools.Ward", on_delete=models.PROTECT, related_name="youth_services")
    name = models.CharField(max_length=200)
    operator = models.CharField(max_length=20, choices=Operator.choices)
    what_it_offers = models.CharField(
        max_length=300, blank=True, help_text="For example: open-access sessions, boxing, cadets."
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    relationship = models.CharField(
        "relationship status", max_length=20, choices=Relationship.choices, default=Relationship.NOT_STARTED
    )
    last_contact_on = models.DateField("last contact", null=True, blank=True)
    last_contact_by = models.ForeignKey(
        "officers.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = YouthServiceQuerySet.as_manager()

    class Meta:
        ordering = ["ward__name", "name"]
        constraints = [models.UniqueConstraint(fields=["ward", "name"], name="youth_service_once_per_ward")]

    def __str__(self) -> str:
        return f"{self.name} ({self.ward})"
