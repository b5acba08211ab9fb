"""Fictional demo data for officers: two BCUs, 15 officers, their postings, a manager login."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from schools.models import LocalAuthority, Phase, School
from ssoportal.migration_helpers import BCU_MANAGER_GROUP

from .models import BCU, Officer, OfficerRole, Posting, PostingRole, Rank

DEMO_MANAGER_USERNAME = "bcu.manager"
# A demo-only credential, printed by load_demo; load_demo refuses to run with DEBUG off.
DEMO_MANAGER_PASSWORD = "demo-manager-2026"

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

    for bcu in bcus.values():
        bcu_officers = [o for o in officers if o.bcu_id == bcu.pk and o.role == OfficerRole.SSO]
        secondaries = list(
            School.objects.filter(bcu=bcu, phase__in=[Phase.SECONDARY, Phase.ALL_THROUGH]).order_by("urn")
        )
        primaries = list(School.objects.filter(bcu=bcu, phase=Phase.PRIMARY).order_by("urn"))
        # Most secondaries get a primary SSO; one or two are left vacant on purpose.
        for officer, school in zip(bcu_officers, secondaries[:-2], strict=False):
            _, was_created = Posting.objects.get_or_create(
                officer=officer,
                school=school,
                role=PostingRole.PRIMARY,
                defaults={"start_date": today - datetime.timedelta(days=rng.randint(60, 700))},
            )
            created["postings"] += was_created
        # Each SSO also covers a primary school as a secondary posting.
        for officer, school in zip(bcu_officers, primaries, strict=False):
            _, was_created = Posting.objects.get_or_create(
                officer=officer,
                school=school,
                role=PostingRole.SECONDARY,
                defaults={"start_date": today - datetime.timedelta(days=rng.randint(30, 400))},
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
                },
            )
            created["postings"] += was_created

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
    created["users"] += was_created
    return created
