"""Fictional demo data for schools: two boroughs, their wards, 60 schools and their DSLs.

Every name, code and postcode here is invented (GSS and LSOA codes sit in unused
ranges, postcode areas RB and HW do not exist). Records are created if missing and
never updated, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from .models import DSLContact, DSLRole, LocalAuthority, Phase, School, SchoolStatus, Ward

BOROUGHS = [
    {
        "gss_code": "E09000901",
        "dfe_code": "901",
        "name": "Riverbank",
        "postcode_area": "RB",
        "origin": (531000, 181000),
        "wards": ["Alder Vale", "Brookside", "Castle Fields", "Dockside", "Elm Park", "Fernhill"],
    },
    {
        "gss_code": "E09000902",
        "dfe_code": "902",
        "name": "Hartwell",
        "postcode_area": "HW",
        "origin": (538000, 176000),
        "wards": ["Greenacre", "Hollins", "Ivybridge", "Juniper Green", "Kestrel Heath", "Larkmead"],
    },
]

# (phase, type, how many, age range, typical roll)
SCHOOL_MIX = [
    (Phase.NURSERY, "Local authority nursery school", 2, (2, 5), (60, 120)),
    (Phase.PRIMARY, "Community school", 20, (4, 11), (180, 630)),
    (Phase.PRIMARY, "Academy converter", 14, (4, 11), (200, 480)),
    (Phase.PRIMARY, "Voluntary aided school", 4, (4, 11), (150, 420)),
    (Phase.SECONDARY, "Academy sponsor led", 8, (11, 16), (700, 1400)),
    (Phase.SECONDARY, "Community school", 6, (11, 18), (800, 1600)),
    (Phase.ALL_THROUGH, "Free schools", 2, (4, 18), (1000, 1800)),
    (Phase.SIXTEEN_PLUS, "Further education", 2, (16, 19), (400, 900)),
    (Phase.NOT_APPLICABLE, "Community special school", 2, (3, 19), (80, 200)),
]

NAME_STEMS = [
    "Ashgrove",
    "Beacon",
    "Birchwood",
    "Bramley",
    "Canalside",
    "Chestnut",
    "Clearwater",
    "Coppice",
    "Cranfield",
    "Daisy Hill",
    "Elmstead",
    "Fairfield",
    "Foxglove",
    "Garden Lane",
    "Gorse Hill",
    "Harbour",
    "Hawthorn",
    "Heron Way",
    "Highfield",
    "Holly Bank",
    "Kingfisher",
    "Lakeside",
    "Lavender",
    "Linden",
    "Maple Leaf",
    "Meadowbank",
    "Millbrook",
    "Northgate",
    "Oakfield",
    "Orchard",
    "Pebble Brook",
    "Primrose",
    "Quarry Hill",
    "Redwood",
    "Riverside",
    "Rowan Tree",
    "St Aidan's",
    "St Bride's",
    "St Hilda's",
    "St Jude's",
    "Saxon Way",
    "Silverdale",
    "Southmead",
    "Springfield",
    "Stonebridge",
    "Sycamore",
    "Thornbury",
    "Tollgate",
    "Victoria Park",
    "Waterside",
    "Westbrook",
    "Willowbrook",
    "Windmill Hill",
    "Woodlands",
    "Yew Tree",
    "Zephyr",
    "Ambleside",
    "Larchwood",
    "Mulberry",
    "Old Forge",
]
SUFFIX = {
    Phase.NURSERY: "Nursery School",
    Phase.PRIMARY: "Primary School",
    Phase.SECONDARY: "Academy",
    Phase.ALL_THROUGH: "All-Through School",
    Phase.SIXTEEN_PLUS: "Sixth Form College",
    Phase.NOT_APPLICABLE: "Special School",
}
FIRST_NAMES = [
    "Amara",
    "Bethan",
    "Chidi",
    "Dalia",
    "Eilidh",
    "Farhan",
    "Grace",
    "Hamza",
    "Ines",
    "Jonah",
    "Kemi",
    "Leon",
    "Maryam",
    "Niamh",
    "Oskar",
    "Priya",
    "Rhys",
    "Saoirse",
    "Tomasz",
    "Zainab",
]
LAST_NAMES = [
    "Adeyemi",
    "Brennan",
    "Chowdhury",
    "Dlamini",
    "Evans",
    "Fitzgerald",
    "Gallagher",
    "Hussain",
    "Iqbal",
    "Jovanović",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Novak",
    "O'Connor",
    "Patel",
    "Quinn",
    "Rahman",
    "Sørensen",
    "Thompson",
]


POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _postcode(rng: random.Random, area: str, ward_index: int) -> str:
    return f"{area}{ward_index + 1} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"


def load_demo_schools(rng: random.Random) -> dict[str, int]:
    """Create the demo boroughs, wards, schools and DSL contacts; return counts created."""
    created = {"local authorities": 0, "wards": 0, "schools": 0, "DSL contacts": 0}
    today = timezone.localdate()
    stems = iter(NAME_STEMS)
    urn = 9100001
    schools_per_borough = {b["gss_code"]: [] for b in BOROUGHS}
    plan = [(phase, kind, ages, roll) for phase, kind, count, ages, roll in SCHOOL_MIX for _ in range(count)]

    for borough in BOROUGHS:
        la, was_created = LocalAuthority.objects.get_or_create(
            gss_code=borough["gss_code"], defaults={"name": borough["name"], "dfe_code": borough["dfe_code"]}
        )
        created["local authorities"] += was_created
        borough["la"] = la
        borough["ward_objects"] = []
        for index, ward_name in enumerate(borough["wards"], start=1):
            ward, was_created = Ward.objects.get_or_create(
                code=f"E0590{borough['dfe_code']}{index}",
                defaults={"name": ward_name, "local_authority": la},
            )
            created["wards"] += was_created
            borough["ward_objects"].append(ward)

    for position, (phase, kind, (low, high), (roll_min, roll_max)) in enumerate(plan):
        borough = BOROUGHS[position % 2]
        ward_index = rng.randrange(len(borough["ward_objects"]))
        ward = borough["ward_objects"][ward_index]
        pupils = rng.randint(roll_min, roll_max)
        # Deprivation varies by ward: FSM share follows it, with noise.
        fsm_pct = max(3.0, min(62.0, rng.gauss(12 + 7 * ward_index, 6)))
        east0, north0 = borough["origin"]
        school, was_created = School.objects.get_or_create(
            urn=str(urn),
            defaults={
                "name": f"{next(stems)} {SUFFIX[phase]}",
                "local_authority": borough["la"],
                "ward": ward,
                "lsoa_code": f"E01{borough['dfe_code']}{ward_index:02d}{rng.randint(0, 3)}",
                "phase": phase,
                "establishment_type": kind,
                "status": SchoolStatus.OPEN,
                "statutory_low_age": low,
                "statutory_high_age": high,
                "pupil_count": pupils,
                "fsm_count": round(pupils * fsm_pct / 100),
                "fsm_percentage": Decimal(f"{fsm_pct:.1f}"),
                "postcode": _postcode(rng, borough["postcode_area"], ward_index),
                "easting": east0 + rng.randint(-2500, 2500) + ward_index * 600,
                "northing": north0 + rng.randint(-2500, 2500),
            },
        )
        urn += 1
        created["schools"] += was_created
        schools_per_borough[borough["gss_code"]].append(school)

        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        # Most contacts confirmed recently; some are overdue for their yearly re-confirmation.
        confirmed = today - datetime.timedelta(days=rng.choice([20, 90, 200, 300, 400, 500]))
        _, was_created = DSLContact.objects.get_or_create(
            school=school,
            email=f"dsl.{school.urn}@{borough['name'].lower()}-schools.invalid",
            defaults={
                "name": f"{first} {last}",
                "role": DSLRole.LEAD,
                "phone": f"020 7946 0{rng.randint(100, 999)}",
                "last_confirmed_on": confirmed,
            },
        )
        created["DSL contacts"] += was_created
        if phase in (Phase.SECONDARY, Phase.ALL_THROUGH):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            _, was_created = DSLContact.objects.get_or_create(
                school=school,
                email=f"deputy.dsl.{school.urn}@{borough['name'].lower()}-schools.invalid",
                defaults={
                    "name": f"{first} {last}",
                    "role": DSLRole.DEPUTY,
                    "phone": f"020 7946 0{rng.randint(100, 999)}",
                    "last_confirmed_on": today - datetime.timedelta(days=rng.choice([30, 120, 380])),
                },
            )
            created["DSL contacts"] += was_created
    return created
