"""Fictional demo data for priorities: a year of crime around the demo schools, partner advice, one run.

Crime counts are invented: busier in the wards the schools demo marks as more deprived,
so the ranking has a story to tell. Everything is created only if missing.

The demo boroughs and wards are fictional, so they have no ONS boundaries: their map outlines are
drawn from the demo schools' positions alone (``demo_outlines``), and marked as demo outlines.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg
from django.utils import timezone

from officers.demo import DEMO_MANAGER_USERNAME
from schools.demo import BOROUGHS
from schools.models import School

from .defaults import DEFAULT_CRIME_TYPE_WEIGHTS, DEFAULT_SCORING_MODEL_NAME
from .geo import polygons_to_geojson, to_latitude_longitude
from .geometry import padded_hull, union_of_cells, voronoi_cells
from .models import (
    AdviceOrganisation,
    Boundary,
    CrimeAggregate,
    CrimeType,
    CrimeTypeWeight,
    PartnerAdvice,
    ScoringModel,
)
from .services import create_partner_advice, recompute_priorities, set_boundary

DEMO_FORCE = "riverbank-hartwell-demo"
# Typical monthly counts per LSOA in a busy London area, before the deprivation factor.
MONTHLY_BASE = {
    CrimeType.ANTI_SOCIAL_BEHAVIOUR: 6,
    CrimeType.VIOLENCE_AND_SEXUAL_OFFENCES: 7,
    CrimeType.OTHER_THEFT: 3,
    CrimeType.CRIMINAL_DAMAGE_AND_ARSON: 2,
    CrimeType.PUBLIC_ORDER: 2,
    CrimeType.VEHICLE_CRIME: 2,
    CrimeType.BURGLARY: 1,
    CrimeType.SHOPLIFTING: 2,
    CrimeType.DRUGS: 1,
    CrimeType.ROBBERY: 1,
    CrimeType.THEFT_FROM_THE_PERSON: 1,
    CrimeType.BICYCLE_THEFT: 1,
    CrimeType.POSSESSION_OF_WEAPONS: 0,
    CrimeType.OTHER_CRIME: 0,
}
ADVICE = [
    # (school position in URN order, organisation, adjustment, reason)
    (4, AdviceOrganisation.POLICE, 2, "Repeated reports of knife carrying near the school gates this term."),
    (4, AdviceOrganisation.LOCAL_AUTHORITY, 1, "Youth service reports rising exploitation concerns in the area."),
    (11, AdviceOrganisation.LOCAL_AUTHORITY, -1, "New on-site youth worker funded by the council since September."),
    (40, AdviceOrganisation.POLICE, 1, "Anti-social behaviour hotspot at the nearby bus interchange."),
    (47, AdviceOrganisation.POLICE, -2, "School is on a split site being merged; most pupils move next term."),
]


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    # police.uk publishes about two months behind: the last full month published is two months ago.
    index = today.year * 12 + today.month - 1 - 2
    return [datetime.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count)]


def load_demo_priorities(rng: random.Random) -> dict[str, int]:
    created = {
        "scoring models": 0,
        "crime aggregates": 0,
        "partner advice": 0,
        "priority runs": 0,
        "demo outlines": 0,
    }
    model, was_created = ScoringModel.objects.get_or_create(
        name=DEFAULT_SCORING_MODEL_NAME,
        defaults={"is_active": not ScoringModel.objects.filter(is_active=True).exists()},
    )
    created["scoring models"] += was_created
    for crime_type, weight in DEFAULT_CRIME_TYPE_WEIGHTS.items():
        CrimeTypeWeight.objects.get_or_create(
            scoring_model=model, crime_type=crime_type, defaults={"weight": Decimal(weight)}
        )

    if not CrimeAggregate.objects.filter(force=DEMO_FORCE).exists():
        lsoas = (
            School.objects.exclude(lsoa_code="")
            .values("lsoa_code")
            .annotate(easting=Avg("easting"), northing=Avg("northing"), fsm=Avg("fsm_percentage"))
            .order_by("lsoa_code")
        )
        lsoas = list(lsoas)
        # Each LSOA's mean school point, in the published (WGS84) form of crime points.
        latitudes, longitudes = to_latitude_longitude(
            [float(lsoa["easting"]) for lsoa in lsoas], [float(lsoa["northing"]) for lsoa in lsoas]
        )
        aggregates = []
        for lsoa, latitude, longitude in zip(lsoas, latitudes, longitudes, strict=True):
            deprivation = 0.5 + float(lsoa["fsm"] or 0) / 20
            for month in _months_back(timezone.localdate(), 12):
                for crime_type, base in MONTHLY_BASE.items():
                    count = max(0, round(rng.gauss(base * deprivation, 1 + base / 2)))
                    if not count:
                        continue
                    aggregates.append(
                        CrimeAggregate(
                            month=month,
                            force=DEMO_FORCE,
                            lsoa_code=lsoa["lsoa_code"],
                            crime_type=crime_type,
                            count=count,
                            located_count=count,
                            # Within about 150 m of the schools' point.
                            longitude=longitude + rng.uniform(-0.002, 0.002),
                            latitude=latitude + rng.uniform(-0.0013, 0.0013),
                        )
                    )
        CrimeAggregate.objects.bulk_create(aggregates, batch_size=1000)
        created["crime aggregates"] = len(aggregates)

    manager = get_user_model().objects.get(username=DEMO_MANAGER_USERNAME)
    schools = list(School.objects.order_by("urn"))
    for position, organisation, adjustment, reason in ADVICE:
        school = schools[position]
        if not PartnerAdvice.objects.filter(school=school, organisation=organisation, reason=reason).exists():
            create_partner_advice(
                school=school,
                author=manager,
                organisation=organisation,
                adjustment=adjustment,
                reason=reason,
                advised_on=timezone.localdate() - datetime.timedelta(days=14 + position),
            )
            created["partner advice"] += 1

    if not model.runs.exists() and model.is_active:
        recompute_priorities()
        created["priority runs"] += 1
    created["demo outlines"] = load_demo_outlines()
    return created


# Demo outlines reach this far beyond the outermost demo schools.
DEMO_OUTLINE_MARGIN_M = 500
DEMO_OUTLINE_SOURCE = (
    "Demo outline: the places nearer to one of its demo schools than to any other demo school, "
    f"within {DEMO_OUTLINE_MARGIN_M} m of the outermost ones"
)


def demo_outlines(schools: list[School]) -> dict[tuple[str, int], dict]:
    """Outlines of the demo boroughs and wards drawn from their schools' positions alone: each school
    gets the places nearer to it than to any other school (its Voronoi cell), within the hull of all
    the schools widened by ``DEMO_OUTLINE_MARGIN_M``; a ward's outline is the union of its schools'
    cells, a borough's the union of all its schools' cells. So the outlines tile the demo area, and
    every school stands inside its own ward and borough. Keyed by ("la", id) and ("ward", id)."""
    by_point: dict[tuple[float, float], School] = {}
    for school in schools:
        # Two schools at one point share a cell: the first one's ward has it.
        by_point.setdefault((float(school.easting), float(school.northing)), school)
    if len(by_point) < 3:
        return {}
    sites = list(by_point)
    cells = voronoi_cells(sites, padded_hull(sites, DEMO_OUTLINE_MARGIN_M))
    groups: dict[tuple[str, int], list] = {}
    for site, cell in zip(sites, cells, strict=True):
        school = by_point[site]
        groups.setdefault(("la", school.local_authority_id), []).append(cell)
        if school.ward_id is not None:
            groups.setdefault(("ward", school.ward_id), []).append(cell)
    return {key: polygons_to_geojson(union_of_cells(group)) for key, group in groups.items()}


def load_demo_outlines() -> int:
    """Store the demo outlines of the demo boroughs and wards that have none yet; how many were stored."""
    codes = [borough["gss_code"] for borough in BOROUGHS]
    schools = list(
        School.objects.filter(local_authority__gss_code__in=codes, easting__isnull=False, northing__isnull=False)
        .select_related("local_authority", "ward")
        .order_by("urn")
    )
    places = {("la", school.local_authority_id): {"local_authority": school.local_authority} for school in schools}
    places |= {("ward", school.ward_id): {"ward": school.ward} for school in schools if school.ward_id}
    outlined = {("la", pk) for pk in Boundary.objects.values_list("local_authority_id", flat=True) if pk}
    outlined |= {("ward", pk) for pk in Boundary.objects.values_list("ward_id", flat=True) if pk}
    stored = 0
    for key, geometry in demo_outlines(schools).items():
        if key not in outlined:
            set_boundary(**places[key], geometry=geometry, source=DEMO_OUTLINE_SOURCE, is_demo=True)
            stored += 1
    return stored
