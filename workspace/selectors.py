"""Reads for the SSO's workspace, each with a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth

from access.roles import PortalRoles
from core.suppression import Figure, suppress_together
from officers.models import Posting
from schools.models import DSLContact

from .models import Activity, Objective, ObjectivePeriod, YouthService


def week_start(on: datetime.date) -> datetime.date:
    """The Monday of ``on``'s week."""
    return on - datetime.timedelta(days=on.weekday())


def my_postings(*, roles: PortalRoles, on: datetime.date) -> list[Posting]:
    """The SSO's current postings, each with its school's current DSL contacts, touchdown point and
    the youth services of its ward (four queries)."""
    if roles.officer is None:
        return []
    return list(
        Posting.objects.visible_to(roles)
        .filter(officer=roles.officer)
        .current(on)
        .select_related("school", "school__ward", "school__touchdown_point")
        .prefetch_related(
            Prefetch("school__dsl_contacts", DSLContact.objects.filter(is_current=True).order_by("role", "name")),
            Prefetch("school__ward__youth_services", YouthService.objects.select_related("last_contact_by")),
        )
        .order_by("school__name")
    )


def my_activities(*, roles: PortalRoles) -> Iterable[Activity]:
    """The SSO's own activities at their current schools, newest first (one query when read)."""
    return Activity.objects.visible_to(roles).select_related("school", "category", "youth_service")


@dataclass(frozen=True)
class Progress:
    objective: Objective
    date_from: datetime.date
    date_to: datetime.date
    done: int

    @property
    def met(self) -> bool:
        return self.done >= self.objective.target

    @property
    def percent(self) -> int:
        return min(100, round(self.done * 100 / self.objective.target))


def period_bounds(objective: Objective, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The dates an objective counts on ``on``: the school term (autumn from 1 September, spring from
    1 January, summer from 1 April) or school year (from 1 September) that holds ``on``, or the
    whole posting; never before the posting started nor after it ended."""
    posting = objective.posting
    if objective.period == ObjectivePeriod.POSTING:
        start, end = posting.start_date, on
    else:
        year = on.year if on.month >= 9 else on.year - 1
        if objective.period == ObjectivePeriod.YEAR:
            start, end = datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)
        elif on.month >= 9:
            start, end = datetime.date(on.year, 9, 1), datetime.date(on.year, 12, 31)
        elif on.month <= 3:
            start, end = datetime.date(on.year, 1, 1), datetime.date(on.year, 3, 31)
        else:
            start, end = datetime.date(on.year, 4, 1), datetime.date(on.year, 8, 31)
    start = max(start, posting.start_date)
    if posting.end_date is not None:
        end = min(end, posting.end_date)
    return start, end


def objective_progress(*, objectives: Iterable[Objective], on: datetime.date) -> list[Progress]:
    """Progress of each objective (with its posting and category loaded) from the activity log,
    in one query whatever their number."""
    objectives = list(objectives)
    if not objectives:
        return []
    bounds = {objective.pk: period_bounds(objective, on) for objective in objectives}
    earliest = min(start for start, _ in bounds.values())
    officers = {objective.posting.officer_id for objective in objectives}
    schools = {objective.posting.school_id for objective in objectives}
    categories = {objective.category_id for objective in objectives}
    counts: Counter = Counter(
        Activity.objects.filter(
            officer_id__in=officers, school_id__in=schools, category_id__in=categories, occurred_on__gte=earliest
        ).values_list("officer_id", "school_id", "category_id", "occurred_on")
    )
    result = []
    for objective in objectives:
        start, end = bounds[objective.pk]
        key = (objective.posting.officer_id, objective.posting.school_id, objective.category_id)
        done = sum(n for (o, s, c, day), n in counts.items() if (o, s, c) == key and start <= day <= end)
        result.append(Progress(objective=objective, date_from=start, date_to=end, done=done))
    return result


def posting_objectives(*, postings: Iterable[Posting], on: datetime.date) -> dict[int, list[Progress]]:
    """Progress against the objectives of each posting, by posting id (two queries)."""
    postings = {posting.pk: posting for posting in postings}
    objectives = list(Objective.objects.filter(posting_id__in=postings).select_related("category"))
    for objective in objectives:
        objective.posting = postings[objective.posting_id]
    by_posting: dict[int, list[Progress]] = {pk: [] for pk in postings}
    for progress in objective_progress(objectives=objectives, on=on):
        by_posting[progress.objective.posting_id].append(progress)
    return by_posting


# The tables of the activity summary: (label, the values() fields of the group's key and label).
# Keys are public identifiers (a school's URN, a BCU's code, an authority's GSS code), so that a
# council can join the rows to its own records and to the API's other lists.
ACTIVITY_GROUPINGS: dict[str, tuple[str, tuple[str, str]]] = {
    "category": ("Category", ("category__name", "category__name")),
    "school": ("School", ("school__urn", "school__name")),
    "bcu": ("BCU", ("school__bcu__code", "school__bcu__name")),
    "local_authority": ("Local authority", ("school__local_authority__gss_code", "school__local_authority__name")),
}
MONTHS_SHOWN = 12


def _month_start(on: datetime.date) -> datetime.date:
    return on.replace(day=1)


def _months_before(month: datetime.date, count: int) -> list[datetime.date]:
    """``count`` calendar months ending with ``month``, oldest first."""
    months = [_month_start(month)]
    while len(months) < count:
        months.insert(0, _month_start(months[0] - datetime.timedelta(days=1)))
    return months


@dataclass(frozen=True)
class ActivitySummary:
    """One reader's activity counts for one month (each table for the whole of what they may count, or
    one BCU of it), and the total of each of the twelve months to it: every figure from the release of
    its month, suppressed together (``core.suppression.suppress_together``)."""

    tables: dict[str, list[dict]]
    months: list[dict]


def _activity_atoms(activities, months: list[datetime.date]) -> dict[datetime.date, dict[tuple, int]]:
    """Activities per month and atom (category, school, BCU and authority keys with their labels); one query."""
    fields = [field for _, pair in ACTIVITY_GROUPINGS.values() for field in pair]
    first = months[0]
    last = (months[-1] + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    rows = (
        activities.between(first, last)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", *dict.fromkeys(fields))
        .annotate(activities=Count("id"))
        .order_by()
    )
    by_month: dict[datetime.date, dict[tuple, int]] = {month: {} for month in months}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        atom = tuple(row[field] for field in dict.fromkeys(fields))
        by_month[month][atom] = by_month[month].get(atom, 0) + row["activities"]
    return by_month


_FIELD_POSITION = {
    field: index for index, field in enumerate(dict.fromkeys(f for _, p in ACTIVITY_GROUPINGS.values() for f in p))
}


def _grouped(atoms, group_by: str) -> list[tuple[object, str, frozenset]]:
    """(key, label, support) of each group with activities, in label order."""
    key_field, label_field = ACTIVITY_GROUPINGS[group_by][1]
    groups: dict[object, set] = {}
    labels: dict[object, str] = {}
    for atom in atoms:
        key = atom[_FIELD_POSITION[key_field]]
        groups.setdefault(key, set()).add(atom)
        labels[key] = atom[_FIELD_POSITION[label_field]] or "None"
    return sorted(
        ((key, labels[key], frozenset(group)) for key, group in groups.items()), key=lambda g: (g[1], str(g[0]))
    )


def _bcu_of(atom: tuple) -> object:
    return atom[_FIELD_POSITION["school__bcu__code"]]


def _month_release(counts: dict[tuple, int]) -> dict[frozenset, Figure]:
    """Every table a reader may get for one month (each grouping, for all they may count and for each
    BCU of it), suppressed together."""
    published: list[frozenset] = []
    scopes = [frozenset(counts)]
    for bcu in sorted({_bcu_of(atom) for atom in counts}, key=str):
        scopes.append(frozenset(atom for atom in counts if _bcu_of(atom) == bcu))
    for scope in scopes:
        published.append(scope)
        for group_by in ACTIVITY_GROUPINGS:
            published += [support for _, _, support in _grouped(scope, group_by)]
    return suppress_together(counts, published)


def activity_summary(
    *, activities, month: datetime.date, group_bys: Iterable[str], bcu_code: str | None = None
) -> ActivitySummary:
    """Counts of SSO activities in ``month`` (a calendar month) among ``activities`` (what the reader
    may count), optionally of one BCU's schools: one table per grouping of ``group_bys`` (rows, then a
    last row "total"), and the totals of the twelve months to ``month``. Every figure is suppressed
    with everything else the reader can get for its month: a count of 1 to 4 is "c", and so is any
    count from which one could be worked out (one query)."""
    for group_by in group_bys:
        if group_by not in ACTIVITY_GROUPINGS:
            raise ValueError(f"group_by must be one of {sorted(ACTIVITY_GROUPINGS)}, not {group_by!r}")
    months = _months_before(month, MONTHS_SHOWN)
    by_month = _activity_atoms(activities, months)

    def in_scope(atoms) -> frozenset:
        return frozenset(atom for atom in atoms if bcu_code is None or _bcu_of(atom) == bcu_code)

    month_rows = []
    tables: dict[str, list[dict]] = {}
    for each in months:
        counts = by_month[each]
        figures = _month_release(counts)
        scope = in_scope(counts)
        month_rows.append({"key": f"{each:%Y-%m}", "label": f"{each:%B %Y}", "activities": figures.get(scope, 0)})
        if each == months[-1]:
            for group_by in group_bys:
                rows = [
                    {"key": key, "label": label, "activities": figures[support]}
                    for key, label, support in _grouped(scope, group_by)
                ]
                total = {"key": "total", "label": "All activities", "activities": figures.get(scope, 0)}
                tables[group_by] = [*rows, total]
    return ActivitySummary(tables=tables, months=month_rows)
