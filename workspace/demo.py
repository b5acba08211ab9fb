"""Fictional demo data for the SSO's workspace: the demo SSO's logged work over the last five
weeks, objectives on their postings, touchdown points and youth services in their wards.

Activities go through ``log_activity`` as the demo SSO's login, touchdown points through
``set_touchdown_point`` as the demo BCU manager, so the demo obeys the same rules as real data.
A second run creates nothing (activities are made only for an officer with none).
"""

from __future__ import annotations

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from access.roles import PortalRoles
from officers.demo import DEMO_MANAGER_USERNAME
from safeguarding.demo import DEMO_SSO_USERNAME
from safeguarding.models import Concern
from safeguarding.services import pass_concern_to_dsl
from schools.models import DSLContact

from .models import (
    Activity,
    ActivityCategory,
    Objective,
    ObjectivePeriod,
    Operator,
    Relationship,
    SupportKind,
    TouchdownPoint,
    YearGroup,
    YouthService,
)
from .services import (
    log_activity,
    record_referral_outcome,
    save_objective,
    save_youth_service,
    set_touchdown_point,
)

TOUCHDOWN_ROOMS = [
    ("Room beside the pastoral office (P2)", "Sign in at main reception; the pastoral lead holds the key."),
    ("Inclusion base, ground floor", "Reception buzzes you through; desk and phone charger by the window."),
    ("Meeting room 3, sixth-form block", "Badge access after sign-in; book through the school office."),
]
YOUTH_SERVICES = [
    ("{ward} Youth Centre", Operator.COUNCIL, "Open-access evenings, detached youth work", Relationship.ESTABLISHED),
    (
        "{ward} Boxing Club",
        Operator.VOLUNTARY,
        "Boxing and mentoring, police cadets signposted",
        Relationship.DEVELOPING,
    ),
    ("{ward} Arts Collective", Operator.OTHER, "Music production and film making", Relationship.NOT_STARTED),
]
SESSIONS = [
    ("Knife crime and its consequences", YearGroup.Y9, 28, "Many said they feel unsafe on the way home after dark."),
    (
        "Online safety and image sharing",
        YearGroup.Y8,
        30,
        "Asked what happens if a picture is shared without consent.",
    ),
    ("County lines and exploitation", YearGroup.Y10, 27, "Several knew of older young people offering 'easy money'."),
    ("Stop and search: your rights", YearGroup.Y11, 25, "Wanted to know what an officer must tell them first."),
]
DIVERSION_SERVICES = ["Youth Offending Service prevention team", "Local boxing club mentoring scheme"]


def load_demo_workspace(rng: random.Random) -> dict[str, int]:
    created = {"activities": 0, "objectives": 0, "touchdown points": 0, "youth services": 0}
    user = get_user_model().objects.filter(username=DEMO_SSO_USERNAME).first()
    manager = get_user_model().objects.filter(username=DEMO_MANAGER_USERNAME).first()
    if user is None or manager is None:
        return created
    roles = PortalRoles(user)
    manager_roles = PortalRoles(manager)
    officer = roles.officer
    if officer is None:
        return created
    today = timezone.localdate()
    postings = list(officer.postings.current(today).select_related("school", "school__ward").order_by("school__urn"))

    for index, posting in enumerate(postings):
        school = posting.school
        if not TouchdownPoint.objects.filter(school=school).exists():
            room, notes = TOUCHDOWN_ROOMS[index % len(TOUCHDOWN_ROOMS)]
            set_touchdown_point(roles=manager_roles, school=school, room=room, access_notes=notes)
            created["touchdown points"] += 1
        if school.ward is not None:
            for position, (name, operator, offers, relationship) in enumerate(YOUTH_SERVICES):
                full_name = name.format(ward=school.ward.name)
                if YouthService.objects.filter(ward=school.ward, name=full_name).exists():
                    continue
                # The established relationship has gone quiet: its no-contact reminder is due.
                last_contact = today - relativedelta(months=4) if position == 0 else None
                save_youth_service(
                    service=YouthService(
                        ward=school.ward,
                        name=full_name,
                        operator=operator,
                        what_it_offers=offers,
                        contact_name=rng.choice(["Sam Okoro", "Priya Shah", "Tom Reilly"]),
                        contact_email=f"youth{position + 1}.{school.ward.code.lower()}@example.invalid",
                        relationship=relationship,
                        last_contact_on=last_contact,
                        last_contact_by=officer if last_contact else None,
                    ),
                    saved_by=manager,
                )
                created["youth services"] += 1

    by_name = {category.name: category for category in ActivityCategory.objects.active()}
    for posting in postings:
        for name, target, period in [
            ("One-to-one support or mentoring", 12, ObjectivePeriod.TERM),
            ("PSHE or curriculum session", 4, ObjectivePeriod.TERM),
            ("Diversion referral", 6, ObjectivePeriod.YEAR),
        ]:
            category = by_name.get(name)
            if (
                category is None
                or Objective.objects.filter(posting=posting, category=category, period=period).exists()
            ):
                continue
            save_objective(
                objective=Objective(
                    posting=posting,
                    category=category,
                    target=target,
                    period=period,
                    description=f"Agreed with the school: {target} {period}",
                ),
                saved_by=manager,
            )
            created["objectives"] += 1

    created["concerns passed to DSLs"] = _pass_concerns(roles, postings)
    if Activity.objects.filter(officer=officer).exists() or not postings:
        return created
    for days_ago in range(34, -1, -1):
        day = today - datetime.timedelta(days=days_ago)
        if day.weekday() >= 5:
            continue
        for posting in postings:
            if posting.start_date > day:
                continue
            school = posting.school
            if days_ago and rng.random() < 0.8:  # today's daily check is left for the demo user to log
                _log(roles, school, by_name, "School visit or daily check", day)
                created["activities"] += 1
            roll = rng.random()
            if roll < 0.12:
                topic, year, pupils, said = rng.choice(SESSIONS)
                _log(
                    roles,
                    school,
                    by_name,
                    "PSHE or curriculum session",
                    day,
                    topic=topic,
                    year_group=year,
                    pupils_reached=pupils,
                    young_people_said=said,
                )
            elif roll < 0.35:
                _log(
                    roles,
                    school,
                    by_name,
                    "One-to-one support or mentoring",
                    day,
                    support_kind=rng.choice(list(SupportKind)),
                    pupil_reference=f"DEMO-{rng.randint(1000, 9999)}",
                    notes="Weekly check-in; agreed next steps with the pastoral lead.",
                )
            elif roll < 0.42:
                outcome = "Engaged with the first two sessions." if days_ago > 14 else ""
                activity = _log(
                    roles,
                    school,
                    by_name,
                    "Diversion referral",
                    day,
                    referred_to=rng.choice(DIVERSION_SERVICES),
                    pupil_reference=f"DEMO-{rng.randint(1000, 9999)}",
                )
                if outcome:
                    record_referral_outcome(roles=roles, activity=activity, outcome=outcome)
            elif roll < 0.48:
                _log(
                    roles,
                    school,
                    by_name,
                    "Post-incident support",
                    day,
                    support_kind=SupportKind.VICTIM,
                    pupil_reference=f"DEMO-{rng.randint(1000, 9999)}",
                )
            elif roll < 0.55 and school.ward is not None:
                service = YouthService.objects.filter(ward=school.ward).order_by("pk")[1]
                _log(roles, school, by_name, "Youth service engagement", day, youth_service=service)
            else:
                continue
            created["activities"] += 1
    return created


PASSED_CONCERNS = [
    (
        "DEMO-P-0311",
        "9",
        "exploitation",
        "high",
        "Seen getting into an older man's car after school three days running.",
    ),
    (
        "DEMO-P-0417",
        "10",
        "online",
        "medium",
        "Told me in a mentoring session that pictures of them are being shared.",
    ),
]


def _pass_concerns(roles, postings) -> int:
    """Two concerns the demo SSO passed to the first school's DSLs; the DSL shared the second back."""
    if not postings or Concern.objects.passed_on_by(roles).exists():
        return 0
    # The school of a DSL with a portal login (the demo DSL), so the DSL can share one back.
    dsl = (
        DSLContact.objects.filter(school__in=[p.school for p in postings], is_current=True, user__isnull=False)
        .select_related("user", "school")
        .order_by("school__urn")
        .first()
    )
    school = dsl.school if dsl is not None else postings[0].school
    for index, (reference, year, category, severity, text) in enumerate(PASSED_CONCERNS):
        concern = pass_concern_to_dsl(
            roles=roles,
            school=school,
            pupil_reference=reference,
            year_group=year,
            category=category,
            severity=severity,
            description=text,
        )
        if index == 1 and dsl is not None:
            # Shared back as the safeguarding demo shares its concerns: without queueing the e-mail.
            Concern.objects.filter(pk=concern.pk).update(
                shared_with_police=True, shared_at=timezone.now(), shared_by=dsl.user
            )
    return len(PASSED_CONCERNS)


def _log(roles, school, by_name, category_name, day, **details) -> Activity:
    return log_activity(roles=roles, school=school, category=by_name[category_name], occurred_on=day, **details)
