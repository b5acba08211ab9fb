"""Writes and rules for officers: who may be posted to a school, creating postings, and the
officer's portal login.

After the Child Q review an officer may take a school posting only when, on the posting's
start date, they are out of probation, their enhanced vetting is under three years old,
they have passed a suitability assessment and every required course is current. A BCU
manager may override a refusal with a written justification, which the posting keeps.

An officer's portal login is linked only when its holder accepts an invitation
(``invitations.services``), or by the demo loader, and removed by an administrator or a force
lead (the admin's "Remove portal login" action), each keeping a version in the officer's history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateformat import format as format_date

from access.roles import PortalRoles
from schools.models import School

from .models import (
    Officer,
    OfficerStatus,
    Posting,
    PostingRole,
    SuitabilityAssessment,
    SuitabilityOutcome,
    TrainingCourse,
)
from .selectors import ComplianceStatus, OfficerCompliance, training_compliance

VETTING_VALID_YEARS = 3
MIN_OVERRIDE_JUSTIFICATION_LENGTH = 20
# Statuses in which an officer cannot be deployed at all, whatever their training.
UNDEPLOYABLE_STATUSES = {OfficerStatus.LEFT, OfficerStatus.RESTRICTED}
# The posting fields a manager sets (the admin form shows them in this order).
POSTING_EDITABLE_FIELDS = ("officer", "school", "role", "start_date", "end_date")


@dataclass(frozen=True)
class Eligibility:
    """Whether an officer may take a school posting starting on a date, and if not, why not."""

    is_eligible: bool
    reasons: list[str] = field(default_factory=list)
    #: One kind per reason, in the same order (``BLOCKING_KINDS``, or "training:<course code>").
    kinds: list[str] = field(default_factory=list)


BLOCKING_KINDS = {
    "status": "Left the role or on restricted duties",
    "probation": "In probation (or no probation end date)",
    "vetting": "Enhanced vetting missing or over 3 years old",
    "suitability": "Suitability assessment missing or not passed",
}


def blocking_kind_label(kind: str, course_names: dict[str, str]) -> str:
    """The words for a kind of reason; ``course_names`` by course code for training kinds."""
    if kind.startswith("training:"):
        code = kind.removeprefix("training:")
        return f"Required training missing or expired: {course_names.get(code, code)}"
    return BLOCKING_KINDS[kind]


def _day(value: datetime.date) -> str:
    return format_date(value, "j M Y")


def check_posting_eligibility(*, officer: Officer, start_date: datetime.date) -> Eligibility:
    """Check every posting requirement for ``officer`` on ``start_date``; each failure gives one reason.

    Four queries whatever the officer's history (``check_posting_eligibility_of``).
    """
    return check_posting_eligibility_of(officers=[officer], start_date=start_date)[officer.pk]


def check_posting_eligibility_of(
    *, officers: Iterable[Officer], start_date: datetime.date, courses: list[TrainingCourse] | None = None
) -> dict[int, Eligibility]:
    """``check_posting_eligibility`` for many officers at once, by officer id, in four queries
    whatever their number (three when ``courses``, the required ones, is given): the latest
    suitability assessments, the required courses, the officers and their records of those courses.
    """
    officers = list(officers)
    ids = [officer.pk for officer in officers]
    latest_assessments: dict[int, SuitabilityAssessment] = {}
    assessments = SuitabilityAssessment.objects.filter(officer_id__in=ids, assessed_on__lte=start_date)
    for assessment in assessments.order_by("officer_id", "-assessed_on", "-pk"):
        latest_assessments.setdefault(assessment.officer_id, assessment)
    training = {
        row.officer.pk: row
        for row in training_compliance(officers=Officer.objects.filter(pk__in=ids), on=start_date, courses=courses)
    }
    return {
        officer.pk: _eligibility(
            officer,
            start_date=start_date,
            latest_assessment=latest_assessments.get(officer.pk),
            training=training.get(officer.pk),
        )
        for officer in officers
    }


def _eligibility(
    officer: Officer,
    *,
    start_date: datetime.date,
    latest_assessment: SuitabilityAssessment | None,
    training: OfficerCompliance | None,
) -> Eligibility:
    on = _day(start_date)
    found: list[tuple[str, str]] = []  # (kind, reason)

    if officer.status in UNDEPLOYABLE_STATUSES:
        found.append(("status", f"The officer's status is \u201c{officer.get_status_display()}\u201d."))

    if officer.probation_end_date is None:
        found.append(
            ("probation", "No probation end date is recorded, so the officer cannot be shown to be out of probation.")
        )
    elif officer.probation_end_date >= start_date:
        found.append(
            ("probation", f"The officer is in probation until {_day(officer.probation_end_date)} (start date {on}).")
        )

    vetted = officer.enhanced_vetting_date
    if vetted is None:
        found.append(("vetting", "No enhanced vetting is recorded."))
    elif vetted > start_date:
        found.append(("vetting", f"Enhanced vetting is only granted on {_day(vetted)}, after the start date {on}."))
    elif vetted + relativedelta(years=VETTING_VALID_YEARS) <= start_date:
        found.append(("vetting", f"Enhanced vetting granted {_day(vetted)} is more than 3 years old on {on}."))

    if latest_assessment is None:
        found.append(
            ("suitability", f"No suitability assessment (ability to engage with children) is recorded by {on}.")
        )
    elif latest_assessment.outcome != SuitabilityOutcome.PASSED:
        found.append(
            (
                "suitability",
                f"The latest suitability assessment, on {_day(latest_assessment.assessed_on)}, was not passed.",
            )
        )

    if training is not None:
        found.extend(_required_training_reasons(training, start_date=start_date))
    return Eligibility(
        is_eligible=not found, reasons=[reason for _, reason in found], kinds=[kind for kind, _ in found]
    )


def _required_training_reasons(compliance: OfficerCompliance, *, start_date: datetime.date) -> list[tuple[str, str]]:
    reasons = []
    for course in compliance.courses:
        name, kind = course.course.name, f"training:{course.course.code}"
        if course.status == ComplianceStatus.MISSING:
            reasons.append(
                (kind, f"Required training \u201c{name}\u201d has not been completed by {_day(start_date)}.")
            )
        elif course.status == ComplianceStatus.EXPIRED:
            reasons.append(
                (
                    kind,
                    f"Required training \u201c{name}\u201d expired on {_day(course.expires_on)}, "
                    f"on or before the start date {_day(start_date)}.",
                )
            )
    return reasons


def posting_override_fields(
    *, officer: Officer, start_date: datetime.date, user: AbstractBaseUser | None, override_justification: str
) -> dict:
    """The override fields to store on a posting, or ValidationError naming every unmet requirement.

    Raises a plain ValidationError listing the reasons when no justification is given, or one
    keyed on ``override_justification`` when the override itself is not acceptable.
    """
    eligibility = check_posting_eligibility(officer=officer, start_date=start_date)
    justification = override_justification.strip()
    if eligibility.is_eligible:
        return {"override_justification": "", "overridden_reasons": "", "overridden_by": None}
    if not justification:
        raise ValidationError(eligibility.reasons)
    if user is None or not PortalRoles(user).is_bcu_manager:
        raise ValidationError({"override_justification": "Only a BCU manager may override the posting requirements."})
    if len(justification) < MIN_OVERRIDE_JUSTIFICATION_LENGTH:
        raise ValidationError(
            {
                "override_justification": (
                    f"Write a justification of at least {MIN_OVERRIDE_JUSTIFICATION_LENGTH} characters "
                    f"(this one has {len(justification)})."
                )
            }
        )
    return {
        "override_justification": justification,
        "overridden_reasons": "\n".join(eligibility.reasons),
        "overridden_by": user,
    }


def posting_warnings(
    *,
    officer: Officer,
    school: School,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    posting_id: int | None = None,
) -> list[str]:
    """What a BCU manager must confirm before this posting is saved (nothing when all is usual):
    an officer posted outside their own BCU, and an officer given a second primary posting in force
    at the same time (at another school: two at one school are refused outright)."""
    warnings = []
    if school.bcu_id is not None and school.bcu_id != officer.bcu_id:
        warnings.append(
            f"{officer.full_name} belongs to {officer.bcu.name}, and {school.name} is in {school.bcu.name}: "
            "this posts the officer outside their own BCU."
        )
    if role == PostingRole.PRIMARY:
        others = (
            Posting.objects.filter(officer_id=officer.pk, role=PostingRole.PRIMARY)
            .exclude(school_id=school.pk)
            .exclude(pk=posting_id)
            .overlapping(start_date, end_date)
            .select_related("school")
            .order_by("start_date", "pk")
        )
        for other in others:
            until = f" to {_day(other.end_date)}" if other.end_date else ""
            warnings.append(
                f"{officer.full_name} already holds a primary posting at {other.school.name} "
                f"from {_day(other.start_date)}{until}: this gives them a second primary posting at the same time."
            )
    return warnings


def posting_warning_fields(
    *, warnings: list[str], already_confirmed: str, user: AbstractBaseUser | None, confirm: bool
) -> dict:
    """The confirmation fields to store on a posting, or ValidationError (keyed on
    ``confirm_warnings``) listing the warnings not yet confirmed.

    A warning confirmed earlier on this posting needs no new confirmation; a posting without
    warnings keeps no confirmation (its history does).
    """
    if not warnings:
        return {"confirmed_warnings": "", "warnings_confirmed_by": None}
    unconfirmed = [warning for warning in warnings if warning not in already_confirmed.splitlines()]
    if not unconfirmed:
        return {}
    if not confirm:
        raise ValidationError({"confirm_warnings": unconfirmed})
    if user is None or not PortalRoles(user).is_bcu_manager:
        raise ValidationError({"confirm_warnings": "Only a BCU manager may confirm these warnings."})
    return {"confirmed_warnings": "\n".join(warnings), "warnings_confirmed_by": user}


@transaction.atomic
def create_posting(
    *,
    officer: Officer,
    school: School,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    created_by: AbstractBaseUser | None,
    override_justification: str = "",
    confirm_warnings: bool = False,
) -> Posting:
    """Post ``officer`` to ``school``, refusing (ValidationError with the reasons) unless eligible.

    An ineligible officer is posted only when ``created_by`` is a BCU manager who gives a
    justification of at least 20 characters; the justification, the unmet requirements and
    the manager are stored on the posting, and so in its history. A posting with warnings
    (``posting_warnings``) is saved only with ``confirm_warnings`` from a BCU manager, and the
    warnings and the manager are stored the same way.
    """
    # Lock the officer row: a concurrent edit of their probation or vetting dates waits for this posting.
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    override = posting_override_fields(
        officer=officer, start_date=start_date, user=created_by, override_justification=override_justification
    )
    confirmation = posting_warning_fields(
        warnings=posting_warnings(officer=officer, school=school, role=role, start_date=start_date, end_date=end_date),
        already_confirmed="",
        user=created_by,
        confirm=confirm_warnings,
    )
    posting = Posting(
        officer=officer,
        school=school,
        role=role,
        start_date=start_date,
        end_date=end_date,
        created_by=created_by,
        **override,
        **confirmation,
    )
    posting.full_clean()
    posting.save()
    return posting


@transaction.atomic
def update_posting(
    *,
    posting: Posting,
    updated_by: AbstractBaseUser | None,
    override_justification: str = "",
    confirm_warnings: bool = False,
    **changes,
) -> Posting:
    """Change a posting's fields; a new officer or start date is checked again like a new posting.

    ``changes`` may name officer, school, role, start_date and end_date. A justification given
    with an eligible officer clears any earlier override (the history keeps it). Warnings not
    confirmed before on this posting need ``confirm_warnings``, as for a new posting.
    """
    unknown = set(changes) - set(POSTING_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_posting() cannot change {sorted(unknown)}")
    rechecks = any(
        name in changes and changes[name] != getattr(posting, name) for name in ("officer", "start_date")
    ) or bool(override_justification.strip())
    for name, value in changes.items():
        setattr(posting, name, value)
    if rechecks:
        officer = Officer.objects.select_for_update().get(pk=posting.officer.pk)
        override = posting_override_fields(
            officer=officer,
            start_date=posting.start_date,
            user=updated_by,
            override_justification=override_justification,
        )
        for name, value in override.items():
            setattr(posting, name, value)
    confirmation = posting_warning_fields(
        warnings=posting_warnings(
            officer=posting.officer,
            school=posting.school,
            role=posting.role,
            start_date=posting.start_date,
            end_date=posting.end_date,
            posting_id=posting.pk,
        ),
        already_confirmed=posting.confirmed_warnings,
        user=updated_by,
        confirm=confirm_warnings,
    )
    for name, value in confirmation.items():
        setattr(posting, name, value)
    posting.full_clean()
    posting.save()
    return posting


def _save_login(officer: Officer, *, by: AbstractBaseUser | None, reason: str) -> None:
    officer.full_clean()
    # Read by django-simple-history for the version this save makes.
    officer._history_user = by
    officer._change_reason = reason
    officer.save(update_fields=["user", "updated_at"])


@transaction.atomic
def link_officer_login(
    *, officer: Officer, user: AbstractBaseUser, by: AbstractBaseUser | None, reason: str
) -> Officer:
    """Make ``user`` the portal login of an officer who has none (or has this one) and has not left."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.user_id == user.pk:
        return officer
    if officer.status == OfficerStatus.LEFT:
        raise ValidationError("This officer has left the role.")
    if officer.user_id is not None:
        raise ValidationError("This officer already has a portal login.")
    if Officer.objects.filter(user=user).exists():
        raise ValidationError("This login is already the portal login of another officer.")
    officer.set_portal_login(user)
    _save_login(officer, by=by, reason=reason)
    return officer


@transaction.atomic
def remove_officer_login(*, officer: Officer, by: AbstractBaseUser, reason: str) -> Officer:
    """Take away an officer's portal login (revoking its access); nothing happens without one."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.user_id is not None:
        officer.set_portal_login(None)
        _save_login(officer, by=by, reason=reason)
    return officer
