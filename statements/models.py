"""A school's Child Safeguarding Statement, one row per version.

A version is a draft until the school's head teacher signs it off; from then on it is read-only,
and the next draft starts from it. Every signed version is kept: the latest one is the school's
statement, shown on the school's public page when the school publishes it.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from access.roles import PortalRoles
from schools.models import School

# A statement is reviewed every year: its review falls due a year after it was signed.
REVIEW_EVERY = relativedelta(years=1)
SECTION_MAX_LENGTH = 10_000


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


# The four parts of the statement, in the order it reads.
SECTIONS = ("services_to_children", "commitment", "risks_to_children", "measures_in_place")


def _section(label: str, help_text: str) -> models.TextField:
    return models.TextField(
        label, blank=True, validators=[MaxLengthValidator(SECTION_MAX_LENGTH)], help_text=help_text
    )


class SafeguardingStatementQuerySet(models.QuerySet):
    def visible_to(self, roles: PortalRoles) -> SafeguardingStatementQuerySet:
        """Every version of the statements of the schools where the login is a current DSL or
        head teacher; nobody else's (the public reads only ``published_for``)."""
        return self.filter(school_id__in=roles.dsl_school_ids | roles.head_teacher_school_ids)

    def signed(self) -> SafeguardingStatementQuerySet:
        return self.filter(status=StatementStatus.SIGNED)

    def drafts(self) -> SafeguardingStatementQuerySet:
        return self.filter(status=StatementStatus.DRAFT)

    def latest_signed_of_each_school(self) -> SafeguardingStatementQuerySet:
        """Each school's statement in force: its most recently signed version."""
        newer = SafeguardingStatement.objects.signed().filter(school_id=models.OuterRef("school_id"))
        return self.signed().exclude(models.Exists(newer.filter(version__gt=models.OuterRef("version"))))

    def due_for_review(self, on: datetime.date) -> SafeguardingStatementQuerySet:
        """Statements in force whose yearly review date is ``on`` or before: the one rule behind the
        "statement-review" reminder and the overview's banner."""
        return self.latest_signed_of_each_school().filter(review_due_on__lte=on)

    def published_for(self, school: School) -> SafeguardingStatement | None:
        """What the school's public page shows: its statement in force, if the school published it."""
        latest = self.signed().filter(school=school).order_by("-version").first()
        return latest if latest is not None and latest.is_published else None


class SafeguardingStatement(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="safeguarding_statements")
    version = models.PositiveIntegerField(help_text="1 for the school's first statement, then one more for each.")
    status = models.CharField(max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The signed version this draft started from.",
    )
    services_to_children = _section(
        "Services to children", "What the school provides for children: its age range, setting and activities."
    )
    commitment = _section(
        "Our commitment", "The school's commitment to keeping the children in its care safe from harm."
    )
    risks_to_children = _section(
        "Risks to children", "The risks of harm the school has assessed, in its own activities and beyond them."
    )
    measures_in_place = _section(
        "Measures in place", "The procedures and people that manage each risk: who is responsible for what."
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text="Who last changed the draft."
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signatory_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="The head teacher's name as they signed, shown only if the school chooses.",
    )
    signed_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True, help_text="A year after signing.")
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Shown on the school's public page while it is the latest signed version.",
    )
    shows_signatory_name = models.BooleanField(
        "shows the signatory's name", default=False, help_text="The public page names the head teacher who signed."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Who changed a draft, signed it and published it, and when (the audit trail).
    history = HistoricalRecords()
    objects = SafeguardingStatementQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "-version"]
        verbose_name = "child safeguarding statement"
        constraints = [
            models.UniqueConstraint(fields=["school", "version"], name="one_statement_version_per_number"),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status="draft"),
                name="one_statement_draft_per_school",
                violation_error_message="This school already has a draft statement.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_by__isnull=False, signed_on__isnull=False),
                name="signed_statement_has_signature",
            ),
        ]

    def __str__(self) -> str:
        status = self.get_status_display()
        return f"Child safeguarding statement of {self.school.name}, version {self.version} ({status})"

    @property
    def is_signed(self) -> bool:
        return self.status == StatementStatus.SIGNED

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) of each part, in reading order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in SECTIONS]

    def clean(self) -> None:
        if self.pk is None:
            return
        stored = SafeguardingStatement.objects.filter(pk=self.pk).first()
        if stored is None or not stored.is_signed:
            return
        # A signed version is the record of what the head teacher signed: only whether and how it
        # is published may change.
        frozen = [*SECTIONS, "school_id", "version", "status", "signed_by_id", "signatory_name", "signed_on"]
        if any(getattr(self, name) != getattr(stored, name) for name in frozen):
            raise ValidationError("A signed statement cannot be changed: start a new draft from it instead.")

    def ready_to_sign_errors(self) -> dict[str, str]:
        """The parts still empty, each with its message: a statement is signed only when whole."""
        return {
            name: f"Enter {self._meta.get_field(name).verbose_name.lower()} before the statement is signed"
            for name in SECTIONS
            if not getattr(self, name).strip()
        }

    @staticmethod
    def review_due_after(signed_on: datetime.date) -> datetime.date:
        return signed_on + REVIEW_EVERY
