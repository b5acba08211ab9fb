"""Invitations to the portal: the only way a login becomes a DSL, an SSO or a member of a school's staff.

Someone with the right to invite (``invitations.permissions``) enters an e-mail address; the
person opens a single-use link, valid for ``INVITATION_LIFETIME_DAYS``, sets a password, and only
then is their login linked. The link's token is never stored: only its SHA-256 hash, to find the
invitation, and a random salt from which the token is derived again with the secret key
(``invitations.services.invitation_token``), so the e-mail task needs only the invitation's id.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from access.roles import Viewer
from schools.models import StaffRole


class InvitationKind(models.TextChoices):
    DSL_CONTACT = "dsl_contact", "Designated safeguarding lead"
    OFFICER = "officer", "Safer Schools Officer"
    SCHOOL_STAFF = "school_staff", "Member of school staff"
    HEAD_TEACHER = "head_teacher", "Head teacher"


# The school staff role each school kind of invitation gives.
STAFF_ROLE_OF_KIND = {
    InvitationKind.SCHOOL_STAFF: StaffRole.STAFF,
    InvitationKind.HEAD_TEACHER: StaffRole.HEAD_TEACHER,
}


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Withdrawn"


class InvitationQuerySet(models.QuerySet):
    def pending(self, at: datetime.datetime | None = None) -> InvitationQuerySet:
        """Neither accepted nor withdrawn, and not expired at ``at`` (now by default)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at or timezone.now())

    def with_status(self, status: str, at: datetime.datetime | None = None) -> InvitationQuerySet:
        at = at or timezone.now()
        if status == InvitationStatus.PENDING:
            return self.pending(at)
        if status == InvitationStatus.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if status == InvitationStatus.REVOKED:
            return self.filter(revoked_at__isnull=False)
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=at)

    def of_dsl_schools(self, viewer: Viewer) -> InvitationQuerySet:
        """Staff invitations to the schools where the viewer is a current DSL (the ones a DSL manages)."""
        return self.filter(kind=InvitationKind.SCHOOL_STAFF, school_id__in=viewer.dsl_school_ids)


class Invitation(models.Model):
    email = models.EmailField("e-mail address", help_text="The link is sent here, and only here.")
    name = models.CharField(
        max_length=150,
        blank=True,
        help_text="The person's name, as the portal shows it. Blank for a DSL contact or an officer: their record's.",
    )
    kind = models.CharField(max_length=20, choices=InvitationKind.choices)
    # The one thing accepting links the login to, as ``kind`` says.
    dsl_contact = models.ForeignKey(
        "schools.DSLContact",
        verbose_name="DSL contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="For a designated safeguarding lead: their current DSL contact record, which has no login yet.",
    )
    officer = models.ForeignKey(
        "officers.Officer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="For a Safer Schools Officer: their officer record, which has no login yet.",
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="For a member of school staff or a head teacher: their school.",
    )
    # Who granted access is never lost: a login that has invited someone can be deactivated, not deleted.
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accepted by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField("withdrawn at", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="withdrawn by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["salt", "token_hash"])
    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind=InvitationKind.DSL_CONTACT,
                    dsl_contact__isnull=False,
                    officer__isnull=True,
                    school__isnull=True,
                )
                | Q(kind=InvitationKind.OFFICER, dsl_contact__isnull=True, officer__isnull=False, school__isnull=True)
                | Q(
                    kind__in=[InvitationKind.SCHOOL_STAFF, InvitationKind.HEAD_TEACHER],
                    dsl_contact__isnull=True,
                    officer__isnull=True,
                    school__isnull=False,
                ),
                name="invitation_target_matches_kind",
                violation_error_message="Choose the one record this kind of invitation is for.",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to {self.email}"

    def status(self, at: datetime.datetime | None = None) -> InvitationStatus:
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.expires_at <= (at or timezone.now()):
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def is_pending(self) -> bool:
        return self.status() == InvitationStatus.PENDING

    @property
    def target_school(self):
        """The school the access is to, when there is one (not for an officer)."""
        if self.kind == InvitationKind.DSL_CONTACT:
            return self.dsl_contact.school
        return self.school

    @property
    def as_what(self) -> str:
        """What accepting makes the person, for example "Deputy DSL at Alder School"."""
        if self.kind == InvitationKind.OFFICER:
            return f"Safer Schools Officer: {self.officer}"
        if self.kind == InvitationKind.DSL_CONTACT:
            return f"{self.dsl_contact.get_role_display()} at {self.dsl_contact.school.name}"
        return f"{self.get_kind_display()} at {self.school.name}"
