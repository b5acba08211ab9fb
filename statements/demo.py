"""Fictional demo data for child safeguarding statements: a head teacher login at the demo DSL's
school, and that school's statement: two signed versions (the later one published) and a draft.

Created if missing and never updated, so loading twice changes nothing. On live data a head
teacher's login is made by accepting an administrator's invitation; the demo links it through the
same service an accepted invitation uses.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from access.roles import PortalRoles
from schools.models import School, StaffRole
from schools.services import add_school_staff

from .models import SafeguardingStatement
from .services import save_draft, sign_statement

# The demo DSL login that safeguarding's demo links (beside this app, not imported), and the
# portal logins' demo password.
DEMO_DSL_USERNAME = "dsl.demo"
DEMO_PASSWORD = "demo-portal-2026"
DEMO_HEAD_TEACHER_USERNAME = "head.demo"
DEMO_HEAD_TEACHER_NAME = ("Morgan", "Ashby")
# Printed by load_demo (demo-only credentials, never valid on live data).
DEMO_LOGINS = [
    (DEMO_HEAD_TEACHER_USERNAME, DEMO_PASSWORD, "head teacher of the first DSL's school: signs off its statement"),
]

FIRST_VERSION = {
    "services_to_children": (
        "We are a mixed secondary school for pupils aged 11 to 16. Besides teaching, we run breakfast "
        "and after-school clubs, sports fixtures, residential trips and a lunchtime counselling service."
    ),
    "commitment": (
        "Every member of staff, governor and volunteer is committed to keeping the children in our care safe "
        "from harm. We follow Keeping Children Safe in Education and the local safeguarding partnership's "
        "procedures, and every concern is recorded and acted on the same day."
    ),
    "risks_to_children": (
        "We have assessed the risk of harm from: online contact by adults unknown to the pupil; bullying, in "
        "school and online; harm at home; exploitation outside school; and harm by staff or volunteers."
    ),
    "measures_in_place": (
        "A designated safeguarding lead and a deputy, trained every two years; safer recruitment and DBS "
        "checks for every adult working with pupils; online safety lessons in every year group; filtering and "
        "monitoring of the school's network; a code of conduct for staff; and a Safer Schools Officer posted "
        "to the school."
    ),
}
SECOND_VERSION = FIRST_VERSION | {
    "risks_to_children": FIRST_VERSION["risks_to_children"]
    + " Since our last review we have added the risk of harm from pupils sharing images without consent.",
}
DRAFT_VERSION = SECOND_VERSION | {
    "measures_in_place": SECOND_VERSION["measures_in_place"]
    + " From this term, every member of staff can report a concern in the portal for the DSL to triage.",
}


def load_demo_statements(rng: random.Random) -> dict[str, int]:
    created = {"users": 0, "statement versions": 0}
    User = get_user_model()
    dsl = User.objects.filter(username=DEMO_DSL_USERNAME).first()
    dsl_roles = PortalRoles(dsl) if dsl else None
    if dsl_roles is None or not dsl_roles.dsl_school_ids:
        return created
    school = School.objects.get(pk=min(dsl_roles.dsl_school_ids))
    first, last = DEMO_HEAD_TEACHER_NAME
    head, was_created = User.objects.get_or_create(
        username=DEMO_HEAD_TEACHER_USERNAME,
        defaults={"first_name": first, "last_name": last, "email": "head.demo@school.invalid"},
    )
    if was_created:
        head.set_password(DEMO_PASSWORD)
        head.save(update_fields=["password"])
        created["users"] += 1
    add_school_staff(
        school=school,
        user=head,
        role=StaffRole.HEAD_TEACHER,
        by=None,
        reason="Demo data: linked by the demo loader, not by an invitation",
    )
    if SafeguardingStatement.objects.filter(school=school).exists():
        return created
    head_roles = PortalRoles(head)
    today = timezone.localdate()
    signed_on = (today - datetime.timedelta(days=400), today - datetime.timedelta(days=35))
    for sections, on, published in ((FIRST_VERSION, signed_on[0], False), (SECOND_VERSION, signed_on[1], True)):
        draft = save_draft(roles=dsl_roles, school=school, sections=sections)
        sign_statement(
            roles=head_roles,
            statement=draft,
            signatory_name=f"{first} {last}",
            publish=published,
            show_signatory_name=published,
            on=on,
        )
        created["statement versions"] += 1
    save_draft(roles=dsl_roles, school=school, sections=DRAFT_VERSION)
    created["statement versions"] += 1
    return created
