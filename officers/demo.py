"""Fictional demo data for officers: two BCUs, 15 officers, their postings, a manager login."""

from __future__ import annotations

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core.groups import BCU_MANAGER_GROUP
from schools.models import LocalAuthority, Phase, School

from .models import (
    BCU,
    Officer,
    OfficerRole,
    Posting,
    PostingRole,
    Rank,
    SuitabilityAssessment,
    SuitabilityOutcome,
    TrainingCategory,
    TrainingCourse,
    TrainingRecord,
)
from .services import check_posting_eligibility

DEMO_MANAGER_USERNAME = "bcu.manager"
# A demo-only credential, printed by load_demo; load_demo refuses to run with DEBUG off.
DEMO_MANAGER_PASSWORD = "demo-manager-2026"
# The admin login load_demo prints first.
DEMO_ADMIN_LOGIN = (DEMO_MANAGER_USERNAME, DEMO_MANAGER_PASSWORD)

OFFICERS = [
    ("RB1001", "Aisha", "Okafor", Rank.CONSTABLE, OfficerRole.SSO),
    ("RB1002", "Ben", "Whitaker", Rank.CONSTABLE, OfficerRole.SSO),
    ("RB1003", "Carys", "Llewellyn", Rank.CONSTABLE, OfficerRole.SSO),
    ("RB1004", "Dev", "Raman", Rank.CONSTABLE, OfficerRole.SSO),
    ("RB1005", "Erin", "McAllister", Rank.CONSTABLE, OfficerRole.YOUTH_ENGAGEMENT),
    ("RB1006", "Femi", "Adebayo", Rank.SERGEANT, OfficerRole.SSO),
    ("RB1007", "Gabriela", "Nowak", Rank.CONSTABLE, OfficerRole.SSO),
    ("RB1008", "Harun", "Demir", Rank.INSPECTOR, OfficerRole.SSO),
    ("HW2001", "Isla", "Fraser", Rank.CONSTABLE, OfficerRole.SSO),
    ("HW2002", "Jamal", "Bakr", Rank.CONSTABLE, OfficerRole.SSO),
    ("HW2003", "Kirsty", "Doyle", Rank.CONSTABLE, OfficerRole.YOUTH_ENGAGEMENT),
    ("HW2004", "Luca", "Moretti", Rank.CONSTABLE, OfficerRole.SSO),
    ("HW2005", "Mei", "Chen", Rank.SERGEANT, OfficerRole.SSO),
    ("HW2006", "Nathan", "Osei", Rank.CONSTABLE, OfficerRole.SSO),
    ("HW2007", "Olivia", "Hartley", Rank.CONSTABLE, OfficerRole.SSO),
]


def load_demo_officers(rng: random.Random) -> dict[str, int]:
    """Create BCUs, officers, postings and the BCU manager login; return counts created."""
    created = {"BCUs": 0, "officers": 0, "postings": 0, "users": 0}
    today = timezone.localdate()
    bcus = {}
    for prefix, code, name, la_code in [
        ("RB", "RB-BCU", "Riverbank BCU", "E09000901"),
        ("HW", "HW-BCU", "Hartwell BCU", "E09000902"),
    ]:
        bcu, was_created = BCU.objects.get_or_create(
            code=code, defaults={"name": name, "force": "Metropolitan Police Service (demo)"}
        )
        created["BCUs"] += was_created
        la = LocalAuthority.objects.get(gss_code=la_code)
        bcu.local_authorities.add(la)
        School.objects.filter(local_authority=la, bcu__isnull=True).update(bcu=bcu)
        bcus[prefix] = bcu

    officers = []
    for index, (collar, first, last, rank, role) in enumerate(OFFICERS):
        # One officer still in probation, one with vetting over three years old: the
        # eligibility rules have something to refuse.
        probation_end = (
            today + datetime.timedelta(days=60)
            if index == 3
            else today - datetime.timedelta(days=rng.randint(400, 3000))
        )
        vetted = today - datetime.timedelta(days=1200 if index == 10 else rng.randint(30, 900))
        officer, was_created = Officer.objects.get_or_create(
            collar_number=collar,
            defaults={
                "first_name": first,
                "last_name": last,
                "rank": rank,
                "role": role,
                "bcu": bcus[collar[:2]],
                "probation_end_date": probation_end,
                "enhanced_vetting_date": vetted,
            },
        )
        created["officers"] += was_created
        officers.append(officer)
    created.update(_load_training_and_suitability(rng, officers, today))

    for bcu in bcus.values():
        bcu_officers = [o for o in officers if o.bcu_id == bcu.pk and o.role == OfficerRole.SSO]
        secondaries = list(
            School.objects.filter(bcu=bcu, phase__in=[Phase.SECONDARY, Phase.ALL_THROUGH]).order_by("urn")
        )
        primaries = list(School.objects.filter(bcu=bcu, phase=Phase.PRIMARY).order_by("urn"))
        # Most secondaries get a primary SSO; one or two are left vacant on purpose.
        for officer, school in zip(bcu_officers, secondaries[:-2], strict=False):
            start = today - datetime.timedelta(days=rng.randint(60, 700))
            _, was_created = Posting.objects.get_or_create(
                officer=officer,
                school=school,
                role=PostingRole.PRIMARY,
                defaults={"start_date": start, **_historic_override(officer)},
            )
            created["postings"] += was_created
        # Each SSO also covers a primary school as a secondary posting.
        for officer, school in zip(bcu_officers, primaries, strict=False):
            start = today - datetime.timedelta(days=rng.randint(30, 400))
            _, was_created = Posting.objects.get_or_create(
                officer=officer,
                school=school,
                role=PostingRole.SECONDARY,
                defaults={"start_date": start, **_historic_override(officer)},
            )
            created["postings"] += was_created
        # A finished posting, so history is visible.
        if bcu_officers and secondaries:
            _, was_created = Posting.objects.get_or_create(
                officer=bcu_officers[-1],
                school=secondaries[-1],
                role=PostingRole.PRIMARY,
                defaults={
                    "start_date": today - datetime.timedelta(days=900),
                    "end_date": today - datetime.timedelta(days=200),
                    **_historic_override(bcu_officers[-1]),
                },
            )
            created["postings"] += was_created

    # A posting made long ago and not touched since is due for its termly review: give the demo's
    # postings the last-changed time they would have had (the day they started).
    zone = timezone.get_current_timezone()
    for posting in Posting.objects.filter(officer__in=officers, updated_at__date=today, start_date__lt=today):
        changed = datetime.datetime.combine(posting.start_date, datetime.time(9), tzinfo=zone)
        Posting.objects.filter(pk=posting.pk).update(created_at=changed, updated_at=changed)

    User = get_user_model()
    manager, was_created = User.objects.get_or_create(
        username=DEMO_MANAGER_USERNAME,
        defaults={
            "first_name": "Demo",
            "last_name": "Manager",
            "email": "bcu.manager@police.invalid",
            "is_staff": True,
        },
    )
    if was_created:
        manager.set_password(DEMO_MANAGER_PASSWORD)
        manager.save(update_fields=["password"])
    manager.groups.add(Group.objects.get(name=BCU_MANAGER_GROUP))
    # The demo manager runs Riverbank; Hartwell has none assigned, so its reminders go to every manager.
    bcus["RB"].managers.add(manager)
    created["users"] += was_created
    return created


# Officers (by index in OFFICERS) whose training or assessment is deliberately short, so the
# compliance matrix, vacancies and eligibility checks have something to show.
SGC_EXPIRING_IN_20_DAYS = 1
ADB_EXPIRED = 8
TIP_MISSING = 11
SGC_EXPIRING_IN_7_DAYS = 14
SUITABILITY_NOT_PASSED = 6
NO_SUITABILITY_ASSESSMENT = 13
PROVIDERS = [
    "College of Policing",
    "Metropolitan Police Learning and Development (demo)",
    "Riverbank Safeguarding Partnership (demo)",
]
EXTRA_COURSE = ("PRV-AW", "Prevent awareness", TrainingCategory.PREVENT)


def _score(rng: random.Random) -> int | None:
    # Most participants answer, and rate courses well; a few do not answer at all.
    return rng.choice([None, 2, 3, 3, 4, 4, 4, 5, 5, 5])


def _load_training_and_suitability(
    rng: random.Random, officers: list[Officer], today: datetime.date
) -> dict[str, int]:
    created = {"training records": 0, "suitability assessments": 0, "training courses": 0}
    extra, was_created = TrainingCourse.objects.get_or_create(
        code=EXTRA_COURSE[0], defaults={"name": EXTRA_COURSE[1], "category": EXTRA_COURSE[2]}
    )
    created["training courses"] += was_created
    required = list(TrainingCourse.objects.filter(required_for_sso=True).order_by("code"))
    for index, officer in enumerate(officers):
        if index != NO_SUITABILITY_ASSESSMENT:
            outcome = SuitabilityOutcome.NOT_PASSED if index == SUITABILITY_NOT_PASSED else SuitabilityOutcome.PASSED
            _, was_created = SuitabilityAssessment.objects.get_or_create(
                officer=officer,
                defaults={
                    "assessed_on": today - datetime.timedelta(days=rng.randint(200, 800)),
                    "panel_included_young_people": index % 4 != 0,
                    "outcome": outcome,
                    "notes": "Panel with school council representatives (demo)." if index % 4 else "",
                },
            )
            created["suitability assessments"] += was_created
        for course in [*required, extra]:
            completed_on = _demo_completion(rng, index, course, today)
            if completed_on is None:
                continue
            _, was_created = TrainingRecord.objects.get_or_create(
                officer=officer,
                course=course,
                defaults={
                    "completed_on": completed_on,
                    "provider": rng.choice(PROVIDERS),
                    "evidence_note": f"Certificate held on the officer's training file (demo {course.code}).",
                    "met_expectations_score": _score(rng),
                    "safeguarding_confidence_score": _score(rng),
                },
            )
            created["training records"] += was_created
    return created


def _demo_completion(
    rng: random.Random, index: int, course: TrainingCourse, today: datetime.date
) -> datetime.date | None:
    """When the officer completed the course in the demo: current for most, short for a few."""
    offset = rng.randint(40, 200)  # drawn for every officer and course, so the sequence never shifts
    if not course.required_for_sso:
        return today - datetime.timedelta(days=offset) if index % 3 == 0 else None
    if index == TIP_MISSING and course.code == "SSO-TIP":
        return None
    validity = relativedelta(months=course.validity_months or 0)
    if course.code == "SSO-SGC" and index == SGC_EXPIRING_IN_20_DAYS:
        return today - validity + datetime.timedelta(days=20)
    if course.code == "SSO-SGC" and index == SGC_EXPIRING_IN_7_DAYS:
        return today - validity + datetime.timedelta(days=7)
    if course.code == "SSO-ADB" and index == ADB_EXPIRED:
        return today - validity - datetime.timedelta(days=45)
    return today - datetime.timedelta(days=offset)


def _historic_override(officer: Officer) -> dict[str, str]:
    """Demo postings of officers who fail the checks today carry an override, as real ones must.

    Checked on today's date, not the posting's start: the demo has no training history from before
    the postings began, so every posting would otherwise look overridden.
    """
    eligibility = check_posting_eligibility(officer=officer, start_date=timezone.localdate())
    if eligibility.is_eligible:
        return {}
    return {
        "override_justification": "Posted before the Child Q requirements were recorded in the portal (demo).",
        "overridden_reasons": "\n".join(eligibility.reasons),
    }
