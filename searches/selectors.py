"""Reads for the accountability reports: aggregated, and suppressed before they leave here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from core.suppression import Figure, percentage, rate_per_thousand, relative_rate, suppress, suppress_column

from .models import (
    ADULT_AGE,
    INTIMATE_SEARCH_TYPES,
    AgeBand,
    BodyWornVideo,
    EthnicGroup,
    PupilPopulation,
    SearchRecord,
    SearchType,
    SelfDefinedEthnicity,
    age_band_expression,
    broad_group,
)

# Searches beyond outer clothing: the ones where an appropriate adult matters.
THOROUGH_SEARCH_TYPES = (SearchType.MORE_THOROUGH, *INTIMATE_SEARCH_TYPES)

_CHILD = Q(child_age__lt=ADULT_AGE)
_THOROUGH = _CHILD & Q(search_type__in=THOROUGH_SEARCH_TYPES)
_INTIMATE = _CHILD & Q(search_type__in=INTIMATE_SEARCH_TYPES)

# The counts every row carries, computed in the one grouped query.
COUNTS = {
    "searches": Count("id"),
    "thorough_searches": Count("id", filter=_THOROUGH),
    "with_appropriate_adult": Count("id", filter=_THOROUGH & Q(appropriate_adult_present=True)),
    "intimate_searches": Count("id", filter=_INTIMATE),
    "referrals_made": Count("id", filter=_INTIMATE & ~Q(referral_reference="")),
    # Body-worn video, of the searches where it was asked (records before it was asked have none).
    "bwv_asked": Count("id", filter=~Q(body_worn_video="")),
    "with_bwv": Count("id", filter=Q(body_worn_video=BodyWornVideo.RECORDED)),
    "follow_ups_done": Count("id", filter=_THOROUGH & Q(follow_up_completed_on__isnull=False)),
    "reviews_done": Count("id", filter=_THOROUGH & Q(reviewed_on__isnull=False)),
}


# Counts that are a part of another count in the same row: (part, whole).
PART_OF = {
    "with_appropriate_adult": "thorough_searches",
    "referrals_made": "intimate_searches",
    "with_bwv": "bwv_asked",
    "follow_ups_done": "thorough_searches",
    "reviews_done": "thorough_searches",
}


@dataclass(frozen=True)
class Grouping:
    label: str
    # The values() fields grouped on; the first is the key.
    fields: tuple[str, ...]
    # Every key to show even with no searches, in order (choices); None: only keys with searches.
    all_keys: Callable[[], list[tuple[Any, str]]] | None = None
    # Builds a row label from a values() row when all_keys is None.
    label_of: Callable[[dict], str] | None = None
    # True when rates against the pupil population make sense (ethnicity groupings).
    by_ethnicity: bool = False


GROUPINGS: dict[str, Grouping] = {
    "ethnic_group": Grouping(
        "Self-defined ethnicity (5+1 broad groups)",
        ("self_defined_ethnicity",),
        all_keys=lambda: list(EthnicGroup.choices),
        by_ethnicity=True,
    ),
    "ethnicity": Grouping(
        "Self-defined ethnicity (18+1)",
        ("self_defined_ethnicity",),
        all_keys=lambda: list(SelfDefinedEthnicity.choices),
        by_ethnicity=True,
    ),
    "observed_ethnic_group": Grouping(
        "Officer-observed ethnicity", ("officer_observed_ethnicity",), all_keys=lambda: list(EthnicGroup.choices)
    ),
    "age_band": Grouping("Age band", ("age_band",), all_keys=lambda: list(AgeBand.choices)),
    "search_type": Grouping("Search type", ("search_type",), all_keys=lambda: list(SearchType.choices)),
    "bcu": Grouping("BCU", ("bcu_id", "bcu__name"), label_of=lambda row: row["bcu__name"]),
    "school": Grouping(
        "School",
        ("school_id", "school__name"),
        label_of=lambda row: row["school__name"] or "Not at a school",
    ),
    "officer": Grouping(
        "Officer",
        ("officer_id", "officer__collar_number", "officer__first_name", "officer__last_name"),
        label_of=lambda row: (
            f"{row['officer__collar_number']} {row['officer__first_name']} {row['officer__last_name']}"
        ),
    ),
}

TOTAL_KEY = "total"


def pupil_population_by_ethnicity(*, local_authority_ids: Collection[int], on_or_before_year: int) -> dict[str, int]:
    """Pupils per self-defined ethnicity code over the given local authorities.

    Each authority contributes its latest census year not after ``on_or_before_year``. Empty
    when any authority has no figures: a partial denominator would overstate every rate.
    """
    rows = PupilPopulation.objects.filter(
        local_authority_id__in=local_authority_ids, year__lte=on_or_before_year
    ).values_list("local_authority_id", "year", "ethnicity", "pupil_count")
    latest: dict[int, int] = {}
    for la_id, year, _, _ in rows:
        latest[la_id] = max(year, latest.get(la_id, year))
    if not local_authority_ids or set(latest) != set(local_authority_ids):
        return {}
    population: dict[str, int] = defaultdict(int)
    for la_id, year, ethnicity, count in rows:
        if year == latest[la_id]:
            population[ethnicity] += count
    return dict(population)


def _grouped_counts(records: QuerySet[SearchRecord], grouping: Grouping) -> list[dict]:
    if grouping.fields == ("age_band",):
        records = records.annotate(age_band=age_band_expression())
    return list(records.values(*grouping.fields).annotate(**COUNTS).order_by(*grouping.fields))


def _roll_up(rows: list[dict], key_of: Callable[[dict], Any]) -> dict[Any, dict[str, int]]:
    totals: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for row in rows:
        bucket = totals[key_of(row)]
        for name in COUNTS:
            bucket[name] += row[name]
    return totals


def search_statistics(
    *,
    records: QuerySet[SearchRecord],
    date_from: datetime.date,
    date_to: datetime.date,
    group_by: str,
    population_local_authority_ids: Collection[int] | None = None,
) -> list[dict]:
    """Counts, shares and rates of the searches made from ``date_from`` to ``date_to`` (inclusive).

    One row per group of ``group_by`` (a key of ``GROUPINGS``) and a last row with key
    "total". Every count of 1 to 4, and every figure derived from one, is already "c".

    Row keys: ``key``, ``label``, ``searches``, ``share_of_searches_pct``,
    ``rate_per_1000_pupils`` and ``relative_rate_vs_white`` (ethnicity groupings with a
    population only: searches per 1,000 pupils of the group, divided by the same rate for
    White children; else None), ``thorough_searches`` (children, beyond outer clothing),
    ``with_appropriate_adult`` and ``appropriate_adult_pct`` (of those), ``intimate_searches``
    (children, intimate parts exposed or strip), ``referrals_made`` and ``referral_pct``;
    ``bwv_asked`` (searches whose record says whether body-worn video was on), ``with_bwv`` and
    ``bwv_pct``; ``follow_ups_done`` and ``follow_up_pct``, ``reviews_done`` and ``review_pct``
    (of the children's searches beyond outer clothing).

    ``population_local_authority_ids`` names the authorities whose pupil census is the
    denominator for rates; leave it None (no rates) when the records are not the whole
    area's (one school, one officer).
    """
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {sorted(GROUPINGS)}, not {group_by!r}")
    grouping = GROUPINGS[group_by]
    counted = _grouped_counts(records.between(date_from, date_to), grouping)
    key_field = grouping.fields[0]

    if group_by == "ethnic_group":
        by_key = _roll_up(counted, lambda row: broad_group(row[key_field]))
    else:
        by_key = _roll_up(counted, lambda row: row[key_field])
    if grouping.all_keys is not None:
        keyed_labels = grouping.all_keys()
    else:
        keyed_labels = [(row[key_field], grouping.label_of(row)) for row in counted]
        keyed_labels = sorted(dict(keyed_labels).items(), key=lambda item: item[1])
    empty = dict.fromkeys(COUNTS, 0)
    raw_rows = [by_key.get(key, empty) for key, _ in keyed_labels]
    raw_total = _roll_up(raw_rows, lambda row: TOTAL_KEY)[TOTAL_KEY] if raw_rows else dict(empty)

    shown_rows: list[dict[str, Any]] = [{"key": key, "label": label} for key, label in keyed_labels]
    shown_total: dict[str, Any] = {"key": TOTAL_KEY, "label": "All searches"}
    for name in COUNTS:
        whole = PART_OF.get(name)
        column, total = suppress_column(
            [row[name] for row in raw_rows],
            raw_total[name],
            wholes=[row[whole] for row in raw_rows] if whole else None,
            whole_total=raw_total[whole] if whole else None,
        )
        for shown, figure in zip(shown_rows, column, strict=True):
            shown[name] = figure
        shown_total[name] = total

    populations = populations_of(grouping, group_by, population_local_authority_ids, date_to)
    white_searches = next((row["searches"] for row in shown_rows if row["key"] == EthnicGroup.WHITE), None)
    if group_by == "ethnicity":
        # White children as a whole are the reference group, whatever the detail of the rows.
        white_column = [row["searches"] for key, row in zip(keyed_labels, raw_rows, strict=True) if key[0][0] == "W"]
        white_searches = suppress(sum(white_column))
    add_derived_figures(shown_rows, shown_total, keyed_labels, populations, white_searches)
    return [*shown_rows, shown_total]


def add_derived_figures(
    shown_rows: list[dict[str, Any]],
    shown_total: dict[str, Any],
    keyed_labels: list[tuple[Any, str]],
    populations: dict[str, int],
    white_searches: Figure | None,
) -> None:
    """Add the shares, percentages and rates of each row from its published (suppressed) counts:
    a figure built on a "c" is "c". ``white_searches`` is the published count of searches of White
    children, the reference group of the relative rates."""
    white_population = populations.get(EthnicGroup.WHITE) if populations else None
    for shown in [*shown_rows, shown_total]:
        shown["share_of_searches_pct"] = percentage(shown["searches"], shown_total["searches"])
        shown["appropriate_adult_pct"] = percentage(
            shown["with_appropriate_adult"], shown["thorough_searches"], protect_complement=True
        )
        shown["referral_pct"] = percentage(
            shown["referrals_made"], shown["intimate_searches"], protect_complement=True
        )
        shown["bwv_pct"] = percentage(shown["with_bwv"], shown["bwv_asked"], protect_complement=True)
        shown["follow_up_pct"] = percentage(
            shown["follow_ups_done"], shown["thorough_searches"], protect_complement=True
        )
        shown["review_pct"] = percentage(shown["reviews_done"], shown["thorough_searches"], protect_complement=True)
        population = populations.get(shown["key"]) if populations else None
        if shown is shown_total and populations:
            # Over the rows' own keys: the extra White total of the 18+1 table must not count twice.
            population = sum(populations.get(key, 0) for key, _ in keyed_labels)
        shown["rate_per_1000_pupils"] = rate_per_thousand(shown["searches"], population)
        shown["relative_rate_vs_white"] = (
            relative_rate(shown["searches"], population, white_searches, white_population)
            if populations and shown is not shown_total
            else None
        )


def populations_of(
    grouping: Grouping, group_by: str, local_authority_ids: Collection[int] | None, date_to: datetime.date
) -> dict[str, int]:
    """Pupils per row key (plus the White total under "W"), or {} when rates do not apply."""
    if not grouping.by_ethnicity or local_authority_ids is None:
        return {}
    by_code = pupil_population_by_ethnicity(local_authority_ids=local_authority_ids, on_or_before_year=date_to.year)
    if not by_code:
        return {}
    by_group: dict[str, int] = defaultdict(int)
    for code, count in by_code.items():
        by_group[broad_group(code)] += count
    if group_by == "ethnic_group":
        return dict(by_group)
    return {**by_code, EthnicGroup.WHITE: by_group[EthnicGroup.WHITE]}


def report_population_scope(*, bcu=None, school=None, officer=None) -> list[int] | None:
    """The local authorities whose pupils are the denominator for a report's rates.

    A whole BCU is compared with the pupils of its authorities, the whole force with every
    authority a BCU covers. One school's or one officer's searches are not an area's, so
    they get no rates (None).
    """
    from schools.models import LocalAuthority

    if school is not None or officer is not None:
        return None
    authorities = LocalAuthority.objects.filter(bcus__isnull=False)
    if bcu is not None:
        authorities = authorities.filter(bcus=bcu)
    return sorted(set(authorities.values_list("pk", flat=True)))
