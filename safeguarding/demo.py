"""Fictional demo data for the DSL portal: DSL and SSO logins and a handful of concerns.

Pupils appear only as invented school references; every description is made up. Records are
created if missing and never updated, so loading twice changes nothing.

On live data a login is linked to a DSL contact or an officer only by accepting an invitation.
The demo links its logins directly, through the same services an accepted invitation uses, as
an administrator setting up a demonstration would; each link's version says so.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from access.roles import PortalRoles
from core.groups import COUNCIL_READER_GROUP
from officers.models import Posting, PostingRole
from officers.services import link_officer_login
from schools.models import DSLContact, DSLRole, LocalAuthority, StaffRole
from schools.services import add_school_staff, link_dsl_contact_login

from . import services
from .models import Category, Concern, ConcernAction, ConcernStatus, Outcome, Severity, StaffReport, YearGroup

DEMO_PASSWORD = "demo-portal-2026"
DEMO_SSO_USERNAME = "sso.demo"
DEMO_DSL_USERNAMES = ("dsl.demo", "dsl.demo2")
DEMO_COUNCIL_READER_USERNAME = "council.demo"
DEMO_STAFF_USERNAME = "staff.demo"
RIVERBANK_GSS_CODE = "E09000901"
# Printed by load_demo (demo-only credentials, never valid on live data).
DEMO_LOGINS = [
    (DEMO_DSL_USERNAMES[0], DEMO_PASSWORD, "DSL of a school with a posted SSO"),
    (DEMO_DSL_USERNAMES[1], DEMO_PASSWORD, "DSL of a second school"),
    (DEMO_SSO_USERNAME, DEMO_PASSWORD, "Safer Schools Officer posted to the first DSL's school"),
    (DEMO_COUNCIL_READER_USERNAME, DEMO_PASSWORD, "council reader of Riverbank: suppressed statistics only"),
    (DEMO_STAFF_USERNAME, DEMO_PASSWORD, "member of staff of the first DSL's school: reports to the DSL"),
]

DEMO_LINK_REASON = "Demo data: linked by the demo loader, not by an invitation"

# (reference, year group, category, severity, status, outcome, shared, days ago, description, actions)
CONCERNS = [
    (
        "RB-2026-014",
        YearGroup.Y9,
        Category.ONLINE,
        Severity.HIGH,
        ConcernStatus.UNDER_REVIEW,
        "",
        True,
        12,
        "Pupil reported receiving repeated messages from an unknown adult asking to meet.",
        ["Spoke with pupil and parent; screenshots kept", "Referred to SSO for advice on reporting"],
    ),
    (
        "RB-2026-021",
        YearGroup.Y8,
        Category.BULLYING,
        Severity.MEDIUM,
        ConcernStatus.OPEN,
        "",
        False,
        9,
        "Group messages mocking the pupil were shared around the year group.",
        [],
    ),
    (
        "RB-2026-030",
        YearGroup.Y10,
        Category.EXPLOITATION,
        Severity.IMMEDIATE,
        ConcernStatus.REFERRED,
        "",
        True,
        20,
        "Pupil seen being collected by older young people in a car after school on several days.",
        ["Strategy discussion with children's social care", "SSO informed and patrols arranged"],
    ),
    (
        "RB-2026-007",
        YearGroup.Y7,
        Category.MENTAL_HEALTH,
        Severity.MEDIUM,
        ConcernStatus.CLOSED,
        Outcome.EARLY_HELP,
        False,
        40,
        "Pupil disclosed low mood and difficulty sleeping to a form tutor.",
        ["Meeting with parent", "Early help assessment completed"],
    ),
    (
        "HW-2026-003",
        YearGroup.Y5,
        Category.NEGLECT,
        Severity.MEDIUM,
        ConcernStatus.OPEN,
        "",
        False,
        6,
        "Pupil often arrives hungry and in the same uniform for several days.",
        ["Breakfast club place offered"],
    ),
    (
        "HW-2026-011",
        YearGroup.Y6,
        Category.PHYSICAL,
        Severity.HIGH,
        ConcernStatus.UNDER_REVIEW,
        "",
        False,
        3,
        "Bruising noticed on the pupil's forearm during PE; explanation inconsistent.",
        ["Body map completed", "Advice sought from the local authority designated officer"],
    ),
]


def _demo_user(username: str, first_name: str, last_name: str, email: str) -> tuple:
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name, "email": email}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def load_demo_safeguarding(rng: random.Random) -> dict[str, int]:
    created = {"users": 0, "concerns": 0, "chronology actions": 0}
    today = timezone.localdate()
    # The first school (by URN) with a current primary SSO posting, and another school.
    posting = (
        Posting.objects.current()
        .filter(role=PostingRole.PRIMARY)
        .select_related("officer", "school")
        .order_by("school__urn")
    ).first()
    if posting is None:
        return created
    leads = DSLContact.objects.filter(role=DSLRole.LEAD, is_current=True).select_related("school")
    first_lead = leads.get(school=posting.school)
    second_lead = leads.exclude(school=posting.school).order_by("school__urn").first()

    sso_user, was_created = _demo_user(
        DEMO_SSO_USERNAME, posting.officer.first_name, posting.officer.last_name, "sso.demo@police.invalid"
    )
    created["users"] += was_created
    if posting.officer.user_id is None:
        link_officer_login(officer=posting.officer, user=sso_user, by=None, reason=DEMO_LINK_REASON)

    dsl_users = []
    for username, lead in zip(DEMO_DSL_USERNAMES, (first_lead, second_lead), strict=True):
        first, _, last = lead.name.partition(" ")
        user, was_created = _demo_user(username, first, last, lead.email)
        created["users"] += was_created
        if lead.user_id is None:
            link_dsl_contact_login(contact=lead, user=user, by=None, reason=DEMO_LINK_REASON)
        dsl_users.append((user, lead.school))

    reader, was_created = _demo_user(DEMO_COUNCIL_READER_USERNAME, "Casey", "Reader", "council.demo@riverbank.invalid")
    created["users"] += was_created
    reader.groups.add(Group.objects.get(name=COUNCIL_READER_GROUP))
    LocalAuthority.objects.get(gss_code=RIVERBANK_GSS_CODE).council_readers.add(reader)

    for reference, year, category, severity, status, outcome, shared, days_ago, description, actions in CONCERNS:
        user, school = dsl_users[0] if reference.startswith("RB") else dsl_users[1]
        logged_at = timezone.now() - datetime.timedelta(days=days_ago, hours=rng.randint(0, 6))
        concern, was_created = Concern.objects.get_or_create(
            school=school,
            pupil_reference=reference,
            defaults={
                "logged_by": user,
                "year_group": year,
                "category": category,
                "severity": severity,
                "description": description,
                "status": status,
                "outcome": outcome,
                "shared_with_police": shared,
                "shared_at": logged_at if shared else None,
                "shared_by": user if shared else None,
                "created_at": logged_at,
            },
        )
        created["concerns"] += was_created
        if not was_created:
            continue
        for step, summary in enumerate(actions, start=1):
            ConcernAction.objects.create(
                concern=concern,
                taken_on=min(today, logged_at.date() + datetime.timedelta(days=step * 2)),
                summary=summary,
                recorded_by=user,
            )
            created["chronology actions"] += 1
    record = _load_demo_record(rng, dsl=dsl_users[0][0], school=dsl_users[0][1])
    created["users"] += record.pop("users")
    return created | record


def _load_demo_record(rng: random.Random, *, dsl, school) -> dict[str, int]:
    """A member of staff of the first school and what they reported: one report waiting for the
    DSL, one accepted as a concern (with body-map marks and tasks), one added to a concern, one
    closed with no further action. Made through the services, so each step is audited."""
    created = {"staff reports": 0, "tasks": 0, "body-map marks": 0}
    staff, was_created = _demo_user(DEMO_STAFF_USERNAME, "Alex", "Tutor", "staff.demo@school.invalid")
    created["users"] = was_created
    add_school_staff(school=school, user=staff, role=StaffRole.STAFF, by=None, reason=DEMO_LINK_REASON)
    if StaffReport.objects.filter(reported_by=staff).exists():
        return created
    staff_roles, dsl_roles = PortalRoles(staff), PortalRoles(dsl)
    today = timezone.localdate()

    def report(reference: str, days_ago: int, location: str, what: str) -> StaffReport:
        made = services.report_to_dsl(
            roles=staff_roles,
            school=school,
            pupil_reference=reference,
            what_happened=what,
            happened_on=today - datetime.timedelta(days=days_ago),
            location=location,
        )
        reported_at = timezone.now() - datetime.timedelta(days=days_ago, hours=rng.randint(1, 5))
        StaffReport.objects.filter(pk=made.pk).update(reported_at=reported_at)
        made.events.update(at=reported_at)
        created["staff reports"] += 1
        return made

    accepted = report(
        "RB-2026-045",
        4,
        "Changing rooms before PE",
        "Noticed marks on the pupil's upper arm and back when changing. The pupil said they fell off a bike, "
        "then said they did not want to talk about it.",
    )
    concern = services.accept_staff_report(
        roles=dsl_roles,
        report=accepted,
        year_group=YearGroup.Y8,
        category=Category.PHYSICAL,
        severity=Severity.HIGH,
        description="Marks on the upper arm and back seen by staff when changing for PE; explanation changed.",
    )
    for view, x, y, note in (
        ("front", 335, 300, "Bruise about 3 cm across, purple, on the outer upper arm."),
        ("back", 500, 270, "Two red marks about 5 cm long across the upper back."),
    ):
        services.add_body_mark(roles=dsl_roles, concern=concern, view=view, x=x, y=y, note=note)
        created["body-map marks"] += 1
    for assignee, description, due in (
        (staff, "Check in with the pupil at registration and note anything said.", today + datetime.timedelta(days=2)),
        (dsl, "Phone the parent about the marks and the explanation given.", today),
    ):
        services.create_task(
            roles=dsl_roles,
            pupil=concern.pupil,
            description=description,
            assigned_to=assignee,
            due_on=due,
            concern=concern,
            about=f"concern:{concern.pk}",
            about_title=f"Concern {concern.pk} logged: {concern.get_category_display()}",
        )
        created["tasks"] += 1
    # A task that fell overdue, as the dashboard shows it.
    overdue = services.create_task(
        roles=dsl_roles,
        pupil=concern.pupil,
        description="Ask the school nurse whether the pupil has been seen this term.",
        assigned_to=dsl,
        due_on=today,
    )
    type(overdue).objects.filter(pk=overdue.pk).update(due_on=today - datetime.timedelta(days=2))
    created["tasks"] += 1

    linked = report(
        "RB-2026-014",
        2,
        "Library, lunchtime",
        "The pupil was upset about messages on their phone and said the person wanted to meet at the weekend.",
    )
    existing = Concern.objects.get(school=school, pupil_reference="RB-2026-014")
    services.link_staff_report(roles=dsl_roles, report=linked, concern=existing)
    closed = report(
        "RB-2026-052",
        6,
        "Year 7 corridor",
        "The pupil was crying after break and said a friend had fallen out with them.",
    )
    services.close_staff_report(
        roles=dsl_roles,
        report=closed,
        reason="Spoke with the pupil and form tutor: a friendship fall-out, resolved; no safeguarding concern.",
    )
    report(
        "RB-2026-021",
        0,
        "Playground, morning break",
        "The pupil was sitting alone again and said others keep posting about them in a group chat.",
    )
    return created
