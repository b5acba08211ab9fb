"""Reads for a DSL's staff page, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from access.roles import PortalRoles
from schools.models import School, SchoolStaff

from .models import Invitation


def dsl_schools(*, roles: PortalRoles) -> QuerySet[School]:
    """The schools whose staff the user manages: those where they are a current DSL."""
    return School.objects.filter(pk__in=roles.dsl_school_ids).order_by("name")


def current_staff(*, roles: PortalRoles) -> QuerySet[SchoolStaff]:
    """Current staff memberships of the user's DSL schools, with their logins."""
    return (
        SchoolStaff.objects.current()
        .filter(school_id__in=roles.dsl_school_ids)
        .select_related("school", "user")
        .order_by("school__name", "user__last_name", "user__first_name", "user__username")
    )


def pending_staff_invitations(*, roles: PortalRoles) -> QuerySet[Invitation]:
    """Pending staff invitations to the user's DSL schools, newest first, with who sent them."""
    return Invitation.objects.of_dsl_schools(roles).pending().select_related("school", "invited_by")
