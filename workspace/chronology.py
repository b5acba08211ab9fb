"""What the SSO workspace adds to a pupil's chronology (category "sso"), registered in
``WorkspaceConfig.ready``: the officer's logged support or referral of the pupil at the school, and
the concerns the officer passed to the school's DSLs. Only for the DSLs of the pupil's school."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from access.roles import PortalRoles
from safeguarding.chronology import ChronologyEntry, register_chronology_source, start_of_day
from safeguarding.models import Concern, Pupil
from workspace.models import Activity

SSO_LABEL = "Safer Schools Officer"


def sso_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    activities = Activity.objects.for_pupil_record(roles, school_id=pupil.school_id, reference=pupil.reference)
    for activity in activities.select_related("category", "officer"):
        details = [activity.get_support_kind_display()] if activity.support_kind else []
        if activity.referred_to:
            details.append(f"Referred to {activity.referred_to}")
        yield ChronologyEntry(
            occurred_at=start_of_day(activity.occurred_on),
            category="sso",
            title=f"Safer Schools Officer: {activity.category.name}",
            detail=". ".join(details),
            recorded_by=f"{activity.officer.get_rank_display()} {activity.officer.last_name} ({SSO_LABEL})",
            key=f"activity:{activity.pk}",
        )
    passed = Concern.objects.visible_to(roles).filter(pupil=pupil, raised_by_sso=True)
    for concern in passed:
        yield ChronologyEntry(
            occurred_at=concern.created_at,
            category="sso",
            title=f"Concern {concern.pk} passed on by the Safer Schools Officer: {concern.get_category_display()}",
            detail=f"Now {concern.get_status_display().lower()}.",
            url=reverse("safeguarding:concern-detail", args=[concern.pk]),
            recorded_by=SSO_LABEL,
            key=f"concern:{concern.pk}",
        )


def register() -> None:
    register_chronology_source("sso", "Safer Schools Officer", sso_entries)
