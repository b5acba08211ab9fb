"""The search figures that leave the police, suppressed together, one calendar month at a time.

Everything outside the police can get for a month is one *release*, suppressed as one set by
``core.suppression.suppress_together``, so that no count of 1 to 4 follows from subtracting one
published table from another:

- the public release: the monthly open-data file (per BCU, search type, age band and broad
  ethnic group), and the council readers' summary for the whole force and for each BCU (by
  ethnic group, age band, search type and BCU), every count column of it;
- a council system's release: the API's search statistics of its local authorities' schools,
  every grouping it may ask for, suppressed after the public release and without changing it
  (the open data is already out), so that no table of it, with the public ones, reveals a
  hidden count, nor the few searches of a group outside its schools (force minus its part).

Periods are whole calendar months that are over: a month still going on would be published again
each day, and two days' tables subtracted would show one day's searches.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from core.suppression import SUPPRESSED, Figure, Support, suppress_together

from .models import INTIMATE_SEARCH_TYPES, AgeBand, BodyWornVideo, EthnicGroup, SearchRecord, SearchType, broad_group
from .models import age_band_expression as _age_band
from .selectors import (
    COUNTS,
    GROUPINGS,
    PART_OF,
    THOROUGH_SEARCH_TYPES,
    TOTAL_KEY,
    add_derived_figures,
    populations_of,
)


class Atom(NamedTuple):
    """The finest class of searches counted: every published count is a sum of atoms."""

    bcu: int
    school: int | None
    local_authority: int | None
    search_type: str
    age_band: str
    ethnicity: str
    observed: str
    appropriate_adult: bool
    referral: bool
    bwv: str
    follow_up_done: bool
    reviewed: bool


def _child(atom: Atom) -> bool:
    return atom.age_band != AgeBand.ADULT


def _thorough(atom: Atom) -> bool:
    return _child(atom) and atom.search_type in THOROUGH_SEARCH_TYPES


def _intimate(atom: Atom) -> bool:
    return _child(atom) and atom.search_type in INTIMATE_SEARCH_TYPES


# Each count column of the reports (``selectors.COUNTS``), as a test on an atom.
MEASURES: dict[str, Callable[[Atom], bool]] = {
    "searches": lambda atom: True,
    "thorough_searches": _thorough,
    "with_appropriate_adult": lambda atom: _thorough(atom) and atom.appropriate_adult,
    "intimate_searches": _intimate,
    "referrals_made": lambda atom: _intimate(atom) and atom.referral,
    "bwv_asked": lambda atom: atom.bwv != "",
    "with_bwv": lambda atom: atom.bwv == BodyWornVideo.RECORDED,
    "follow_ups_done": lambda atom: _thorough(atom) and atom.follow_up_done,
    "reviews_done": lambda atom: _thorough(atom) and atom.reviewed,
}
assert set(MEASURES) == set(COUNTS)

# The columns a council system gets (``api.views.statistics.SearchFiguresSerializer``).
API_MEASURES = ("searches", "thorough_searches", "with_appropriate_adult", "intimate_searches", "referrals_made")

# The open-data file's count columns, each a part of the row's searches.
OPEN_DATA_PARTS: dict[str, Callable[[Atom], bool]] = {
    "with_appropriate_adult": lambda atom: atom.appropriate_adult,
    "referrals_made": lambda atom: atom.referral,
    "with_bwv": lambda atom: atom.bwv == BodyWornVideo.RECORDED,
}

GROUP_KEYS: dict[str, Callable[[Atom], Any]] = {
    "ethnic_group": lambda atom: broad_group(atom.ethnicity),
    "ethnicity": lambda atom: atom.ethnicity,
    "observed_ethnic_group": lambda atom: atom.observed,
    "age_band": lambda atom: atom.age_band,
    "search_type": lambda atom: atom.search_type,
    "bcu": lambda atom: atom.bcu,
    "school": lambda atom: atom.school,
}

# The council readers' summary: these tables, for the whole force and for each BCU.
SUMMARY_GROUPINGS = ("ethnic_group", "age_band", "search_type", "bcu")
# What a council system may ask for: never by officer.
COUNCIL_GROUPINGS = tuple(sorted(GROUP_KEYS))


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``month``'s calendar month."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def is_over(month: datetime.date, *, today: datetime.date | None = None) -> bool:
    """True when the calendar month has ended (London time): only such months are published."""
    today = today or timezone.localdate()
    return month.replace(day=1) < today.replace(day=1)


def _atoms(month: datetime.date) -> tuple[dict[Atom, int], dict[int, dict], dict[int, str]]:
    """Searches of the month counted per atom, with the names of their BCUs and schools (one query)."""
    first, last = month_bounds(month)
    flag = lambda condition: Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())  # noqa: E731
    rows = (
        SearchRecord.objects.between(first, last)
        .annotate(
            age_band=_age_band(),
            has_referral=flag(~Q(referral_reference="")),
            follow_up_done=flag(Q(follow_up_completed_on__isnull=False)),
            reviewed=flag(Q(reviewed_on__isnull=False)),
        )
        .values(
            "bcu_id",
            "bcu__name",
            "bcu__code",
            "bcu__force",
            "school_id",
            "school__name",
            "school__local_authority_id",
            "search_type",
            "age_band",
            "self_defined_ethnicity",
            "officer_observed_ethnicity",
            "appropriate_adult_present",
            "has_referral",
            "body_worn_video",
            "follow_up_done",
            "reviewed",
        )
        .annotate(searches=Count("id"))
        .order_by()
    )
    counts: dict[Atom, int] = defaultdict(int)
    bcus: dict[int, dict] = {}
    school_names: dict[int, str] = {}
    for row in rows:
        atom = Atom(
            row["bcu_id"],
            row["school_id"],
            row["school__local_authority_id"],
            row["search_type"],
            row["age_band"],
            row["self_defined_ethnicity"],
            row["officer_observed_ethnicity"],
            row["appropriate_adult_present"],
            row["has_referral"],
            row["body_worn_video"],
            row["follow_up_done"],
            row["reviewed"],
        )
        counts[atom] += row["searches"]
        bcus[row["bcu_id"]] = {"code": row["bcu__code"], "name": row["bcu__name"], "force": row["bcu__force"]}
        if row["school_id"] is not None:
            school_names[row["school_id"]] = row["school__name"]
    return dict(sorted(counts.items(), key=lambda item: repr(item[0]))), bcus, school_names


@dataclass
class _Table:
    """One grouping of one population: the row keys and labels, and per measure the support of each
    row and of the total."""

    keyed_labels: list[tuple[Any, str]]
    rows: dict[str, list[Support]] = field(default_factory=dict)
    totals: dict[str, Support] = field(default_factory=dict)


@dataclass
class SearchRelease:
    """One month's published search counts, suppressed together: each support's figure."""

    month: datetime.date
    atoms: dict[Atom, int]
    bcus: dict[int, dict]
    school_names: dict[int, str]
    figures: dict[Support, Figure]

    def table(self, population: Callable[[Atom], bool], group_by: str, measures: Iterable[str]) -> _Table:
        return _table(self, population, group_by, measures)

    def figure(self, support: Support) -> Figure:
        return self.figures[support]


def _table(release, population: Callable[[Atom], bool], group_by: str, measures: Iterable[str]) -> _Table:
    grouping = GROUPINGS[group_by]
    key_of = GROUP_KEYS[group_by]
    members = [atom for atom in release.atoms if population(atom)]
    if grouping.all_keys is not None:
        keyed_labels = grouping.all_keys()
    else:
        names = {pk: bcu["name"] for pk, bcu in release.bcus.items()} if group_by == "bcu" else release.school_names
        present = {key_of(atom) for atom in members}
        keyed_labels = sorted(
            ((key, names.get(key) or "Not at a school") for key in present), key=lambda item: item[1]
        )
    table = _Table(keyed_labels)
    for measure in measures:
        test = MEASURES[measure]
        counted = [atom for atom in members if test(atom)]
        by_key: dict[Any, set[Atom]] = defaultdict(set)
        for atom in counted:
            by_key[key_of(atom)].add(atom)
        table.rows[measure] = [frozenset(by_key.get(key, ())) for key, _ in keyed_labels]
        table.totals[measure] = frozenset(counted)
    return table


def _supports(table: _Table) -> tuple[list[Support], list[Support]]:
    """A table's published supports, and the unpublished ones to protect: the rest of each whole
    beside its part (searches without an appropriate adult, of those beyond outer clothing)."""
    published: list[Support] = []
    protected: list[Support] = []
    for measure, rows in table.rows.items():
        published += [*rows, table.totals[measure]]
        whole = PART_OF.get(measure)
        if whole in table.rows:
            for part, of in [*zip(rows, table.rows[whole], strict=True), (table.totals[measure], table.totals[whole])]:
                protected.append(of - part)
    return published, protected


def _everyone(atom: Atom) -> bool:
    return True


def _in_bcu(bcu_id: int) -> Callable[[Atom], bool]:
    return lambda atom: atom.bcu == bcu_id


def _open_data_cells(atoms: Iterable[Atom]) -> dict[tuple, dict[str, Support]]:
    """The open-data file's rows (BCU, search type, age band, broad ethnic group) with searches, and
    the support of each of their counts."""
    cells: dict[tuple, dict[str, set[Atom]]] = {}
    for atom in atoms:
        key = (atom.bcu, atom.search_type, atom.age_band, broad_group(atom.ethnicity))
        row = cells.setdefault(key, {"searches": set(), **{name: set() for name in OPEN_DATA_PARTS}})
        row["searches"].add(atom)
        for name, test in OPEN_DATA_PARTS.items():
            if test(atom):
                row[name].add(atom)
    return {key: {name: frozenset(atoms) for name, atoms in row.items()} for key, row in cells.items()}


def referral_applies(search_type: str, age_band: str) -> bool:
    """The open data's referral column is for intimate searches of children only."""
    return search_type in INTIMATE_SEARCH_TYPES and age_band != AgeBand.ADULT


def public_release(month: datetime.date) -> SearchRelease:
    """The month's open data and council readers' summary, suppressed as one set (one query)."""
    atoms, bcus, school_names = _atoms(month)
    release = SearchRelease(month, atoms, bcus, school_names, {})
    published: list[Support] = []
    protected: list[Support] = []
    for population in [_everyone, *(_in_bcu(bcu_id) for bcu_id in sorted(bcus))]:
        for group_by in SUMMARY_GROUPINGS:
            table_published, table_protected = _supports(release.table(population, group_by, MEASURES))
            published += table_published
            protected += table_protected
    for key, row in _open_data_cells(atoms).items():
        published.append(row["searches"])
        for name in OPEN_DATA_PARTS:
            if name == "referrals_made" and not referral_applies(key[1], key[2]):
                continue
            published.append(row[name])
            protected.append(row["searches"] - row[name])
    release.figures = suppress_together(atoms, published, protected=protected)
    return release


def _of_authorities(local_authority_ids: Collection[int]) -> Callable[[Atom], bool]:
    ids = set(local_authority_ids)
    return lambda atom: atom.local_authority in ids


def council_release(public: SearchRelease, *, local_authority_ids: Collection[int]) -> SearchRelease:
    """A council system's tables (searches at its authorities' schools, every grouping it may ask
    for), suppressed together on top of the public release, which stays as published."""
    population = _of_authorities(local_authority_ids)
    published: list[Support] = []
    protected: list[Support] = []
    for group_by in COUNCIL_GROUPINGS:
        table = public.table(population, group_by, API_MEASURES)
        table_published, table_protected = _supports(table)
        published += table_published
        protected += table_protected
        if group_by in SUMMARY_GROUPINGS:
            # The force's figure minus the council's: the few searches of the group elsewhere.
            force = public.table(_everyone, group_by, API_MEASURES)
            force_keys = [key for key, _ in force.keyed_labels]
            for measure in API_MEASURES:
                pairs = [(force.totals[measure], table.totals[measure])]
                for (key, _), part in zip(table.keyed_labels, table.rows[measure], strict=True):
                    pairs.append((force.rows[measure][force_keys.index(key)], part))
                protected += [whole - part for whole, part in pairs]
    figures = suppress_together(public.atoms, published, protected=protected, fixed=public.figures)
    return SearchRelease(public.month, public.atoms, public.bcus, public.school_names, figures)


def statistics_rows(
    release: SearchRelease,
    *,
    group_by: str,
    population: Callable[[Atom], bool] = _everyone,
    measures: Iterable[str] = tuple(MEASURES),
    population_local_authority_ids: Collection[int] | None = None,
) -> list[dict]:
    """The rows of one table of the release, then the "total" row, in the form of
    ``selectors.search_statistics`` (counts from the release; shares and rates from them)."""
    measures = tuple(measures)
    table = release.table(population, group_by, measures)
    shown_rows: list[dict[str, Any]] = [{"key": key, "label": label} for key, label in table.keyed_labels]
    shown_total: dict[str, Any] = {"key": TOTAL_KEY, "label": "All searches"}
    for measure in MEASURES:
        if measure in measures:
            for row, support in zip(shown_rows, table.rows[measure], strict=True):
                row[measure] = release.figure(support)
            shown_total[measure] = release.figure(table.totals[measure])
        else:
            for row in [*shown_rows, shown_total]:
                row[measure] = SUPPRESSED  # not published to this reader
    for measure, whole in PART_OF.items():
        for row in [*shown_rows, shown_total]:
            if row[whole] == SUPPRESSED:
                row[measure] = SUPPRESSED  # "0 of c", or "all c", would still say something of each child
    _, last_day = month_bounds(release.month)
    populations = populations_of(GROUPINGS[group_by], group_by, population_local_authority_ids, last_day)
    white = release.table(population, "ethnic_group", ["searches"])
    white_index = [key for key, _ in white.keyed_labels].index(EthnicGroup.WHITE)
    white_searches = release.figures.get(white.rows["searches"][white_index])
    add_derived_figures(shown_rows, shown_total, table.keyed_labels, populations, white_searches)
    return [*shown_rows, shown_total]


def summary_rows(
    release: SearchRelease, *, group_by: str, bcu_id: int | None, population_local_authority_ids
) -> list[dict]:
    """A table of the council readers' summary: the whole force, or one BCU."""
    population = _everyone if bcu_id is None else _in_bcu(bcu_id)
    return statistics_rows(
        release,
        group_by=group_by,
        population=population,
        population_local_authority_ids=population_local_authority_ids,
    )


def council_rows(release: SearchRelease, *, group_by: str, local_authority_ids: Collection[int]) -> list[dict]:
    """A council system's table, from its release (``council_release``)."""
    return statistics_rows(
        release,
        group_by=group_by,
        population=_of_authorities(local_authority_ids),
        measures=API_MEASURES,
        population_local_authority_ids=sorted(local_authority_ids),
    )


def open_data_figures(release: SearchRelease) -> list[dict]:
    """The open-data rows of the public release: keys and figures, in file order."""
    rows = []
    for key, row in _open_data_cells(release.atoms).items():
        bcu_id, search_type, age_band, ethnic_group = key
        columns = ["searches", *OPEN_DATA_PARTS]
        if not referral_applies(search_type, age_band):
            columns.remove("referrals_made")
        figures = {name: release.figure(row[name]) for name in columns}
        if figures["searches"] == SUPPRESSED:
            figures.update(dict.fromkeys(columns, SUPPRESSED))
        figures.setdefault("referrals_made", "")
        bcu = release.bcus[bcu_id]
        rows.append(
            {
                "bcu_code": bcu["code"],
                "bcu_name": bcu["name"],
                "force": bcu["force"],
                "search_type": search_type,
                "age_band": age_band,
                "ethnic_group": ethnic_group,
                **figures,
            }
        )
    order = {
        "search_type": list(SearchType.values),
        "age_band": list(AgeBand.values),
        "ethnic_group": list(EthnicGroup.values),
    }
    return sorted(rows, key=lambda row: (row["bcu_code"], *(order[name].index(row[name]) for name in order)))
