"""Reads for the SSO's workspace, each with a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth

from access.roles import PortalRoles
from core.suppression import suppress_column
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


# The tables of the activity summary: (label, the values() fields grouped on, key first, label last).
# Keys are public identifiers (a school's URN, a BCU's code, an authority's GSS code), so that a
# council can join the rows to its own records and to the API's other lists.
ACTIVITY_GROUPINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "category": ("Category", ("category__name", "category__name")),
    "school": ("School", ("school__urn", "school__name")),
    "bcu": ("BCU", ("school__bcu__code", "school__bcu__name")),
    "local_authority": ("Local authority", ("school__local_authority__gss_code", "school__local_authority__name")),
    "month": ("Month", ("month", "month")),
}


def activity_summary(*, activities, date_from: datetime.date, date_to: datetime.date, group_by: str) -> list[dict]:
    """Counts of SSO activities from ``date_from`` to ``date_to`` (inclusive), one row per group of
    ``group_by`` (a key of ``ACTIVITY_GROUPINGS``) and a last row "total"; every count of 1 to 4 is
    "c", with a second cell hidden when one alone would be recoverable from the total (one query)."""
    if group_by not in ACTIVITY_GROUPINGS:
        raise ValueError(f"group_by must be one of {sorted(ACTIVITY_GROUPINGS)}, not {group_by!r}")
    fields = ACTIVITY_GROUPINGS[group_by][1]
    records = activities.between(date_from, date_to)
    if group_by == "month":
        records = records.annotate(month=TruncMonth("occurred_on"))
    counted = list(records.values(*dict.fromkeys(fields)).annotate(activities=Count("id")).order_by(fields[-1]))
    counts = [row["activities"] for row in counted]
    column, total = suppress_column(counts, sum(counts))
    rows = []
    for row, figure in zip(counted, column, strict=True):
        label = row[fields[-1]]
        if group_by == "month":
            label = label.strftime("%B %Y")
        rows.append(
            {
                "key": row[fields[0]] if group_by != "month" else row["month"].strftime("%Y-%m"),
                "label": label or "None",
                "activities": figure,
            }
        )
    return [*rows, {"key": "total", "label": "All activities", "activities": total}]
