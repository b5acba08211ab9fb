"""Schools, the local authorities and wards they sit in, and their safeguarding leads."""

from __future__ import annotations

import datetime
from calendar import isleap

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from access.roles import PortalLoginLink, Viewer
from access.scopes import school_condition
from core.groups import COUNCIL_READER_GROUP


class LocalAuthority(models.Model):
    """A local authority (council) identified by its ONS GSS code, e.g. E09000007."""

    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    # DfE's three-digit LA code, which GIAS extracts use ("LA (code)"), e.g. "202".
    dfe_code = models.CharField("DfE LA code", max_length=3, unique=True, null=True, blank=True)
    name = models.CharField(max_length=100)
    council_readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="readable_local_authorities",
        blank=True,
        limit_choices_to={"is_active": True, "groups__name": COUNCIL_READER_GROUP},
        help_text="Council reader logins that see this authority's aggregate concern figures in the portal.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An electoral ward (ONS GSS code), within one local authority."""

    code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="wards")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.local_authority})"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE_PRIMARY = "middle_primary", "Middle deemed primary"
    MIDDLE_SECONDARY = "middle_secondary", "Middle deemed secondary"
    SECONDARY = "secondary", "Secondary"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    ALL_THROUGH = "all_through", "All-through"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class SchoolStatus(models.TextChoices):
    OPEN = "open", "Open"
    OPEN_PROPOSED_TO_CLOSE = "open_proposed_to_close", "Open, but proposed to close"
    PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
    CLOSED = "closed", "Closed"


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> SchoolQuerySet:
        """Schools whose records or aggregate figures the viewer reads: every one for a BCU
        manager, a council reader's or API client's local authorities, a DSL's or SSO's own."""
        return self.filter(
            school_condition(viewer, school="pk", local_authority="local_authority_id", with_readable=True)
        )

    def open(self) -> SchoolQuerySet:
        return self.filter(status__in=[SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE])


class School(models.Model):
    """A school, keyed by its DfE unique reference number (URN)."""

    urn = models.CharField("URN", max_length=8, unique=True)
    name = models.CharField(max_length=200)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools")
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True, related_name="schools")
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True, db_index=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, db_index=True)
    establishment_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=30, choices=SchoolStatus.choices, default=SchoolStatus.OPEN, db_index=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    pupil_count = models.PositiveIntegerField(null=True, blank=True)
    fsm_count = models.PositiveIntegerField("FSM pupils", null=True, blank=True)
    fsm_percentage = models.DecimalField(
        "FSM %",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    postcode = models.CharField(max_length=10, blank=True)
    # British National Grid coordinates, as GIAS publishes them.
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)
    bcu = models.ForeignKey(
        "officers.BCU",
        verbose_name="BCU",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statutory_low_age__isnull=True)
                | Q(statutory_high_age__isnull=True)
                | Q(statutory_low_age__lte=models.F("statutory_high_age")),
                name="school_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(fsm_percentage__isnull=True) | Q(fsm_percentage__gte=0, fsm_percentage__lte=100),
                name="school_fsm_percentage_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


class DSLRole(models.TextChoices):
    LEAD = "lead", "Designated safeguarding lead"
    DEPUTY = "deputy", "Deputy DSL"


# DSL contact details are re-confirmed every 12 months.
RECONFIRM_EVERY = relativedelta(years=1)


def latest_confirmation_now_due(on: datetime.date) -> datetime.date:
    """The latest confirmation date that is 12 months old on ``on``."""
    bound = on - RECONFIRM_EVERY
    # On 28 Feb of a year after a leap year, a 29 Feb confirmation is 12 months old too.
    if (on.month, on.day) == (2, 28) and isleap(bound.year):
        bound = bound.replace(day=29)
    return bound


class DSLContactQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> DSLContactQuerySet:
        """Contacts of the schools the viewer works with (``access.scopes.school_condition``)."""
        return self.filter(school_condition(viewer, school="school_id", local_authority="school__local_authority_id"))

    def due_for_reconfirmation(self, on: datetime.date) -> DSLContactQuerySet:
        """Current contacts never confirmed, or last confirmed 12 months or more before ``on``:
        the one rule behind the "dsl-reconfirm" reminder and the portal dashboard's banner."""
        return self.filter(is_current=True).filter(
            Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lte=latest_confirmation_now_due(on))
        )


class DSLContact(PortalLoginLink, models.Model):
    """A school's designated safeguarding lead (or deputy): the school's point of contact.

    A school has at most one *current* lead DSL; former contacts are kept (``is_current``
    false) so the record of who was responsible, and when, is never lost.

    ``user``, the contact's portal login, is linked only by accepting an invitation
    (``access.roles.PortalLoginLink``). Once linked, the contact cannot move to another school
    nor, once former, become current again: either would give the login a school it was not
    invited to.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="dsl_contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dsl_contacts",
        help_text="The portal login of this contact, if they have one: linked only by accepting an invitation.",
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=DSLRole.choices, default=DSLRole.LEAD)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    last_confirmed_on = models.DateField(
        null=True, blank=True, help_text="When the contact last confirmed these details."
    )
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = DSLContactQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "role", "name"]
        verbose_name = "DSL contact"
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(role="lead", is_current=True),
                name="one_current_lead_dsl_per_school",
                violation_error_message="This school already has a current lead DSL.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_role_display()} at {self.school.name}"

    def clean(self) -> None:
        stored = None
        if self.pk is not None:
            stored = DSLContact.objects.filter(pk=self.pk).values("user_id", "school_id", "is_current").first()
        self.validate_portal_login_link(stored and stored["user_id"])
        if not stored or stored["user_id"] is None or self.portal_login_set_by_service:
            return
        if self.school_id != stored["school_id"]:
            raise ValidationError(
                "This contact has a portal login, so it stays at its school: add a new contact for the other "
                "school and invite them."
            )
        if self.is_current and not stored["is_current"]:
            raise ValidationError(
                "This former contact has a portal login, so it cannot be made current again: remove the "
                "portal login first, then invite them again."
            )


class StaffRole(models.TextChoices):
    STAFF = "staff", "Member of staff"
    HEAD_TEACHER = "head_teacher", "Head teacher"


class SchoolStaffQuerySet(models.QuerySet):
    def current(self) -> SchoolStaffQuerySet:
        return self.filter(is_current=True)


class SchoolStaff(PortalLoginLink, models.Model):
    """A login's membership of a school's staff, as a member of staff or its head teacher.

    Made only by accepting an invitation (``invitations``), ended by an administrator; former
    memberships are kept (``is_current`` false). It gives no access to concerns.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(max_length=20, choices=StaffRole.choices, default=StaffRole.STAFF)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SchoolStaffQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "user__username"]
        verbose_name = "school staff membership"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"],
                condition=Q(is_current=True),
                name="one_current_membership_per_school_and_login",
                violation_error_message="This login is already a current member of this school's staff.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}, {self.get_role_display()} at {self.school.name}"

    def clean(self) -> None:
        stored = None
        if self.pk is not None:
            stored = SchoolStaff.objects.filter(pk=self.pk).values_list("user_id", flat=True).first()
        self.validate_portal_login_link(stored)
