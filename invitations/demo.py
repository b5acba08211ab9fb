"""Fictional demo data for invitations: a force lead login and one pending staff invitation.

Created if missing and never updated, so loading twice changes nothing. The invitation is sent
by the demo DSL (``dsl.demo``) through the same service as the portal's "Invite a member of
staff" page, so its e-mail is printed like any other; ``load_demo`` prints its link too, while
it is still pending. Once used or expired, sign in as ``dsl.demo`` and invite someone at
/portal/staff/invite/.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from access.roles import PortalRoles
from core.groups import FORCE_LEAD_GROUP
from safeguarding.demo import DEMO_DSL_USERNAMES
from schools.models import School

from .models import Invitation, InvitationKind
from .services import invite
from .tokens import invitation_url

DEMO_FORCE_LEAD_USERNAME = "force.lead"
DEMO_FORCE_LEAD_PASSWORD = "demo-force-lead-2026"
DEMO_INVITED_EMAIL = "sam.teacher@school.invalid"
# Printed by load_demo (demo-only credentials, never valid on live data).
DEMO_LOGINS = [
    (DEMO_FORCE_LEAD_USERNAME, DEMO_FORCE_LEAD_PASSWORD, "force lead: invites officers in the admin"),
]
# Filled by the loader, printed by load_demo after the logins.
DEMO_NOTES: list[str] = []


def load_demo_invitations(rng: random.Random) -> dict[str, int]:
    created = {"users": 0, "invitations": 0}
    User = get_user_model()
    lead, was_created = User.objects.get_or_create(
        username=DEMO_FORCE_LEAD_USERNAME,
        defaults={"first_name": "Fran", "last_name": "Lead", "email": "force.lead@police.invalid", "is_staff": True},
    )
    if was_created:
        lead.set_password(DEMO_FORCE_LEAD_PASSWORD)
        lead.save(update_fields=["password"])
    lead.groups.add(Group.objects.get(name=FORCE_LEAD_GROUP))
    created["users"] += was_created

    DEMO_NOTES.clear()
    dsl = User.objects.filter(username=DEMO_DSL_USERNAMES[0]).first()
    roles = PortalRoles(dsl) if dsl else None
    if roles is None or not roles.dsl_school_ids:
        return created
    school_id = min(roles.dsl_school_ids)
    invitation = Invitation.objects.filter(
        kind=InvitationKind.SCHOOL_STAFF, school_id=school_id, email=DEMO_INVITED_EMAIL
    ).first()
    if invitation is None:
        invitation = invite(
            roles=roles,
            kind=InvitationKind.SCHOOL_STAFF,
            email=DEMO_INVITED_EMAIL,
            name="Sam Teacher",
            school=School.objects.get(pk=school_id),
        )
        created["invitations"] += 1
    if invitation.is_pending:
        DEMO_NOTES.append(
            f"Demo invitation ({invitation.as_what}, from {dsl.username}), open it signed out: "
            f"{invitation_url(invitation)}"
        )
    else:
        DEMO_NOTES.append(
            f"The demo invitation has been used or has expired: sign in as {dsl.username} and invite someone at "
            "/portal/staff/invite/."
        )
    return created
