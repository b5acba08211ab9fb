"""Who may invite whom; who a user *is* comes from ``access`` (``request.portal_roles``).

- An administrator (an active superuser): anyone, as any kind.
- A force lead: officers. Not while the same login is also a BCU manager: managers see concern
  counts only, and must not be able to give an officer's access to an address they choose.
- A school's current DSL: members of staff of that school (a head teacher is invited by an
  administrator: that role may come to carry more than a DSL's).
- Nobody else, BCU managers included.

Withdrawing a pending invitation follows the same rule. Accepting needs no role, only the link,
and never works for a staff account (``access.roles.can_hold_portal_role``).
"""

from __future__ import annotations

from access.roles import PortalRoles

from .models import InvitationKind


def can_invite(roles: PortalRoles, kind: str, *, school_id: int | None = None) -> bool:
    if roles.is_administrator:
        return True
    if kind == InvitationKind.OFFICER:
        return roles.is_force_lead and not roles.is_bcu_manager
    if kind == InvitationKind.SCHOOL_STAFF:
        return school_id is not None and school_id in roles.dsl_school_ids
    return False


def invitable_kinds(roles: PortalRoles) -> list[str]:
    """The kinds this user may invite to at least one target, in the order of ``InvitationKind``."""
    if roles.is_administrator:
        return list(InvitationKind.values)
    kinds = []
    if can_invite(roles, InvitationKind.OFFICER):
        kinds.append(InvitationKind.OFFICER)
    if roles.dsl_school_ids:
        kinds.append(InvitationKind.SCHOOL_STAFF)
    return kinds


def can_withdraw(roles: PortalRoles, invitation) -> bool:
    return can_invite(roles, invitation.kind, school_id=invitation.school_id)
