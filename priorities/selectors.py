"""Reads for the priority list, the school admin page, the API and the recompute."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Mapping
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    F,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from officers.models import BCU, Posting, PostingRole
from officers.selectors import vacant_schools
from schools.models import School

from .geo import to_easting_northing
from .models import (
    DEFAULT_SSO_EXPECTATION,
    Band,
    Boundary,
    CoverageLevel,
    CrimeAggregate,
    PartnerAdvice,
    PriorityRun,
    PriorityScore,
    ScoringModel,
)
from .scoring import LsoaCrime, weight_in_hundredths


def latest_run_stamp() -> dict | None:
    """The latest run's ``pk`` and ``computed_at`` alone (one small query), or None before any run."""
    return PriorityRun.objects.values("pk", "computed_at").first()


def latest_run_id() -> Subquery:
    """The latest run's id, as a subquery (no query of its own)."""
    return Subquery(PriorityRun.objects.order_by("-computed_at", "-pk").values("pk")[:1])


def latest_scores(schools: QuerySet[School] | None = None) -> QuerySet[PriorityScore]:
    """The latest run's score of each school (of ``schools`` if given), with ``school`` joined."""
    scores = PriorityScore.objects.filter(run_id=latest_run_id()).select_related("school")
    if schools is not None:
        scores = scores.filter(school__in=schools)
    return scores


# Bands in the order a manager fills vacancies: high first; a school not scored yet comes last.
BAND_ORDER = Case(
    When(band=Band.HIGH, then=Value(0)),
    When(band=Band.MEDIUM, then=Value(1)),
    When(band=Band.LOW, then=Value(2)),
    default=Value(3),
)


def sso_expectation() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The bands and phases that expect an SSO: as set on the scoring model of the latest run (or
    the active model before any run; the defaults before any model). One query."""
    model = (
        ScoringModel.objects.filter(Q(runs__pk=latest_run_id()) | Q(is_active=True))
        .order_by(Case(When(runs__pk=latest_run_id(), then=Value(0)), default=Value(1)))
        .values_list("sso_expected_bands", "sso_expected_phases")
        .first()
    )
    if model is None:
        return DEFAULT_SSO_EXPECTATION
    return tuple(model[0] or ()), tuple(model[1] or ())


def ranked_vacancies(
    *, on: datetime.date, bcu: BCU | None = None, bcu_ids: Collection[int] | None = None
) -> list[School]:
    """Open schools (of ``bcu`` or ``bcu_ids``, or all) without a serving SSO's primary posting on ``on`` whose band
    or phase expects an SSO, by the latest run: band (high first), then rank in the BCU. A school
    without a score in the latest run is listed last, unranked. Each school gets ``band`` and
    ``rank_in_bcu`` (None when unranked). Two queries."""
    bands, phases = sso_expectation()
    latest = PriorityScore.objects.filter(run_id=latest_run_id(), school=OuterRef("pk"))
    schools = vacant_schools(on=on, bcu=bcu).annotate(
        band=Subquery(latest.values("band")[:1]), rank_in_bcu=Subquery(latest.values("rank_in_bcu")[:1])
    )
    if bcu_ids is not None:
        schools = schools.filter(bcu_id__in=bcu_ids)
    expected = Q(band__in=bands) | Q(phase__in=phases) | Q(band__isnull=True)
    return list(schools.filter(expected).order_by(BAND_ORDER.copy(), "rank_in_bcu", "bcu__name", "name"))


def current_primary_postings() -> QuerySet[Posting]:
    """Today's primary postings of serving Safer Schools Officers, officer joined."""
    return (
        Posting.objects.covering()
        .filter(role=PostingRole.PRIMARY)
        .select_related("officer")
        .order_by("start_date", "pk")
    )


def priority_list(scores: QuerySet[PriorityScore] | None = None) -> QuerySet[PriorityScore]:
    """Scores ready for the priority list: school, LA, BCU, run joined; current primary SSO prefetched.

    Each score's school gets ``current_primary_postings`` (a list, empty means vacancy).
    """
    scores = latest_scores() if scores is None else scores
    return scores.select_related("school__local_authority", "bcu", "run__scoring_model").prefetch_related(
        Prefetch("school__postings", queryset=current_primary_postings(), to_attr="current_primary_postings")
    )


def latest_crime_month(*, on_or_before: datetime.date) -> datetime.date | None:
    return CrimeAggregate.objects.filter(month__lte=on_or_before).aggregate(latest=Max("month"))["latest"]


def lsoa_crime(
    *, first_month: datetime.date, last_month: datetime.date, weights: Mapping[str, Decimal]
) -> list[LsoaCrime]:
    """Per LSOA: crimes in the months given (inclusive), each weighted by its type, and the mean crime point
    (the located rows' mean, on the British National Grid)."""
    # In hundredths of a crime, as integers: exact on every database (weights have two decimal places).
    weight = Case(
        *[
            When(crime_type=crime_type, then=Value(weight_in_hundredths(w), output_field=BigIntegerField()))
            for crime_type, w in weights.items()
        ],
        default=Value(0),
        output_field=BigIntegerField(),
    )
    rows = list(
        CrimeAggregate.objects.filter(month__gte=first_month, month__lte=last_month)
        .values("lsoa_code")
        .annotate(
            weighted=Sum(F("count") * weight, output_field=BigIntegerField()),
            located=Sum("located_count", filter=Q(longitude__isnull=False, latitude__isnull=False)),
            longitude_sum=Sum(F("longitude") * F("located_count"), output_field=FloatField()),
            latitude_sum=Sum(F("latitude") * F("located_count"), output_field=FloatField()),
        )
        .order_by()
        .values_list("lsoa_code", "weighted", "located", "longitude_sum", "latitude_sum")
    )
    # Each LSOA's mean point, converted to the National Grid in one call (as many points as LSOAs).
    located = [row for row in rows if row[2]]
    eastings, northings = to_easting_northing(
        [longitude_sum / count for _, _, count, longitude_sum, _ in located],
        [latitude_sum / count for _, _, count, _, latitude_sum in located],
    )
    points = {row[0]: point for row, point in zip(located, zip(eastings, northings, strict=True), strict=True)}
    return [
        LsoaCrime(code, Decimal(weighted or 0) / 100, *points.get(code, (None, None))) for code, weighted, *_ in rows
    ]


def coverage_by_school(*, on: datetime.date) -> dict[int, str]:
    """Each covered school's ``CoverageLevel``; schools absent from the result have no SSO."""
    coverage: dict[int, str] = {}
    postings = Posting.objects.covering(on).values_list("school_id", "role")
    for school_id, role in postings:
        if role == PostingRole.PRIMARY:
            coverage[school_id] = CoverageLevel.PRIMARY
        else:
            coverage.setdefault(school_id, CoverageLevel.SECONDARY)
    return coverage


def counted_advice(*, on: datetime.date, max_age_days: int) -> QuerySet[PartnerAdvice]:
    """The advice a score counts: per school, the latest of each organisation, not older than ``max_age_days``."""
    since = on - datetime.timedelta(days=max_age_days)
    in_force = PartnerAdvice.objects.filter(advised_on__gte=since, advised_on__lte=on)
    latest_per_organisation = (
        in_force.filter(school=OuterRef("school"), organisation=OuterRef("organisation"))
        .order_by("-advised_on", "-pk")
        .values("pk")[:1]
    )
    return in_force.filter(pk=Subquery(latest_per_organisation))


def advice_by_school(*, on: datetime.date, max_age_days: int) -> dict[int, list[int]]:
    """The adjustments to count per school (see ``counted_advice``)."""
    advice: dict[int, list[int]] = defaultdict(list)
    for school_id, adjustment in counted_advice(on=on, max_age_days=max_age_days).values_list(
        "school_id", "adjustment"
    ):
        advice[school_id].append(adjustment)
    return advice


def advice_behind(score: PriorityScore) -> list[PartnerAdvice]:
    """The partner advice counted in this score (as it reads now), author joined."""
    parameters = score.run.parameters
    return list(
        counted_advice(
            on=datetime.date.fromisoformat(parameters["as_of"]), max_age_days=parameters["advice_max_age_days"]
        )
        .filter(school_id=score.school_id)
        .select_related("author")
        .order_by("organisation")
    )


def map_outlines(local_authority_ids: Collection[int]) -> dict[str, list[dict]]:
    """The stored outlines of these local authorities and of their wards, for the school map (one
    query; none without an authority). Only the authorities of the schools on the map: the page
    carries the outlines it draws and no more."""
    outlines: dict[str, list[dict]] = {"local_authorities": [], "wards": []}
    if not local_authority_ids:
        return outlines
    rows = (
        Boundary.objects.of_local_authorities(local_authority_ids)
        .values(
            "geometry",
            "is_demo",
            "local_authority__gss_code",
            "local_authority__name",
            "ward__code",
            "ward__name",
            "ward__local_authority__name",
        )
        .order_by("pk")
    )
    for row in rows:
        if row["local_authority__gss_code"]:
            outline = {"code": row["local_authority__gss_code"], "name": row["local_authority__name"]}
            outlines["local_authorities"].append(outline)
        else:
            outline = {
                "code": row["ward__code"],
                "name": row["ward__name"],
                "local_authority": row["ward__local_authority__name"],
            }
            outlines["wards"].append(outline)
        outline |= {"demo": row["is_demo"], "geometry": row["geometry"]}
    return outlines
