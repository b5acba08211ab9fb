"""Writes to the SSO's workspace. Every rule an activity must obey is checked here, and only here."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from access.roles import PortalRoles
from officers.models import Posting
from schools.models import School

from .models import (
    Activity,
    ActivityCategory,
    ActivityDetails,
    Objective,
    Relationship,
    TouchdownPoint,
    YouthService,
)

# The fields each shape of activity records, beyond school, category, date and notes.
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    ActivityDetails.VISIT: (),
    ActivityDetails.SESSION: ("topic", "year_group", "pupils_reached", "young_people_said"),
    ActivityDetails.SUPPORT: ("support_kind", "pupil_reference"),
    ActivityDetails.DIVERSION: ("referred_to", "pupil_reference"),
    ActivityDetails.YOUTH_SERVICE: ("youth_service",),
}
# Of those, the ones that must be given.
REQUIRED_DETAILS: dict[str, dict[str, str]] = {
    ActivityDetails.SESSION: {
        "topic": "Give the topic of the session.",
        "year_group": "Choose the year group.",
        "pupils_reached": "Give how many pupils the session reached.",
    },
    ActivityDetails.SUPPORT: {
        "support_kind": "Choose whether the pupil is a victim, a perpetrator or at risk.",
        "pupil_reference": "Give the school's pupil reference (never the pupil's name).",
    },
    ActivityDetails.DIVERSION: {
        "referred_to": "Give the service the pupil was referred to.",
        "pupil_reference": "Give the school's pupil reference (never the pupil's name).",
    },
    ActivityDetails.YOUTH_SERVICE: {"youth_service": "Choose the youth service."},
}
ALL_DETAIL_FIELDS = sorted({name for names in DETAIL_FIELDS.values() for name in names})


def _posting_on(*, officer_id: int, school_id: int, on: datetime.date) -> Posting | None:
    return Posting.objects.filter(officer_id=officer_id, school_id=school_id).current(on).first()


def activity_rule_errors(*, roles: PortalRoles, activity: Activity) -> dict[str, list[str]]:
    """Every rule the activity breaks, as {field: [messages]}: the SSO's own current school, a
    date that is neither in the future nor outside their posting there, an active category, and
    the details that category asks for."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if activity.school_id not in roles.sso_school_ids:
        add("school", "Choose one of the schools you are posted to.")
    if activity.category_id is not None and not activity.category.is_active and activity.pk is None:
        add("category", "This category is no longer in use: choose another.")
    on = activity.occurred_on
    if on is not None:
        if on > timezone.localdate():
            add("occurred_on", "The date cannot be in the future.")
        elif activity.school_id in roles.sso_school_ids and not _posting_on(
            officer_id=activity.officer_id, school_id=activity.school_id, on=on
        ):
            add("occurred_on", "The date must be on or after the start of your posting to this school.")
    if activity.category_id is not None:
        for field, message in REQUIRED_DETAILS.get(activity.category.details, {}).items():
            if getattr(activity, field) in (None, ""):
                add(field, message)
        service_id = activity.youth_service_id
        if service_id is not None and not YouthService.objects.visible_to(roles).filter(pk=service_id).exists():
            add("youth_service", "Choose a youth service in the ward of one of your schools.")
    return errors


@transaction.atomic
def log_activity(
    *,
    roles: PortalRoles,
    school: School,
    category: ActivityCategory,
    occurred_on: datetime.date,
    notes: str = "",
    **details: Any,
) -> Activity:
    """Record one piece of the SSO's work; nothing is written if a rule fails.

    ``details`` are the fields of the category's shape (``DETAIL_FIELDS``); any other detail is
    dropped, so a field the form did not show is never saved. A youth service engagement also
    records the service's last contact (this officer, this date) and starts a relationship.
    """
    officer = roles.officer
    if officer is None:
        raise ValidationError("Only a serving Safer Schools Officer with a current posting can log work.")
    allowed = DETAIL_FIELDS[category.details]
    activity = Activity(
        officer=officer,
        school=school,
        category=category,
        occurred_on=occurred_on,
        notes=notes.strip(),
        recorded_by=roles.user,
        **{name: value for name, value in details.items() if name in allowed},
    )
    for name in ("topic", "young_people_said", "pupil_reference", "referred_to"):
        setattr(activity, name, (getattr(activity, name) or "").strip())
    activity._history_user = roles.user
    errors = activity_rule_errors(roles=roles, activity=activity)
    if errors:
        raise ValidationError(errors)
    activity.full_clean()
    activity.save()
    if activity.youth_service_id is not None:
        _record_contact(service=activity.youth_service, officer=officer, on=occurred_on)
    return activity


def _record_contact(*, service: YouthService, officer, on: datetime.date) -> None:
    if service.last_contact_on is not None and service.last_contact_on > on:
        return
    service.last_contact_on = on
    service.last_contact_by = officer
    if service.relationship == Relationship.NOT_STARTED:
        service.relationship = Relationship.DEVELOPING
    service.save(update_fields=["last_contact_on", "last_contact_by", "relationship", "updated_at"])


@transaction.atomic
def record_referral_outcome(*, roles: PortalRoles, activity: Activity, outcome: str) -> Activity:
    """Add the outcome to one of the SSO's own diversion referrals."""
    if not Activity.objects.visible_to(roles).filter(pk=activity.pk).exists():
        raise ValidationError("This is not one of your activities.")
    if activity.category.details != ActivityDetails.DIVERSION:
        raise ValidationError({"referral_outcome": "Only a diversion referral has an outcome."})
    if not outcome.strip():
        raise ValidationError({"referral_outcome": "Give the outcome of the referral."})
    activity.referral_outcome = outcome.strip()
    activity._history_user = roles.user
    activity.full_clean()
    activity.save(update_fields=["referral_outcome", "updated_at"])
    return activity


def may_set_touchdown_point(roles: PortalRoles, school: School) -> bool:
    """A school's own DSL, or a BCU manager."""
    return roles.is_bcu_manager or school.pk in roles.dsl_school_ids


@transaction.atomic
def set_touchdown_point(*, roles: PortalRoles, school: School, room: str, access_notes: str = "") -> TouchdownPoint:
    """Create or change a school's touchdown point for its SSO."""
    if not may_set_touchdown_point(roles, school):
        raise ValidationError("Only the school's DSL or a BCU manager can set its touchdown point.")
    point = TouchdownPoint.objects.filter(school=school).first() or TouchdownPoint(school=school)
    point.room = room.strip()
    point.access_notes = access_notes.strip()
    point.updated_by = roles.user
    point._history_user = roles.user
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def save_objective(*, objective: Objective, saved_by) -> Objective:
    """Create or change an objective on a posting (BCU managers, in the admin)."""
    if objective.pk is None:
        objective.created_by = saved_by
    objective._history_user = saved_by
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def save_youth_service(*, service: YouthService, saved_by) -> YouthService:
    """Create or change an entry of the youth services directory (BCU managers and SSOs)."""
    service._history_user = saved_by
    service.full_clean()
    service.save()
    return service
