"""Reads for the council API: token look-up and the rows of a schools, postings or training compliance page.

Every endpoint starts from ``Model.objects.visible_to(client)``: an ``ApiClient`` reads the rows
of the local authorities it is granted, and a row outside them is simply not found (404 on detail).
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import FilteredRelation, Q, QuerySet

from core.lookups import id_set
from officers.models import Officer, Posting, TrainingRecord
from officers.selectors import COMPLIANT_STATUSES, course_status, required_courses
from priorities.selectors import latest_run_stamp
from schools.models import School

from .models import ApiToken
from .services import hash_secret


def usable_token_for_secret(*, secret: str) -> ApiToken | None:
    """The usable token whose secret this is (client loaded), or None."""
    return ApiToken.objects.usable().select_related("client").filter(secret_hash=hash_secret(secret)).first()


SCHOOL_ROW_FIELDS = (
    "pk",
    "urn",
    "name",
    "local_authority__gss_code",
    "local_authority__name",
    "ward__code",
    "ward__name",
    "phase",
    "status",
    "establishment_type",
    "statutory_low_age",
    "statutory_high_age",
    "pupil_count",
    "fsm_percentage",
    "postcode",
    "bcu__code",
    "updated_at",
)
POSTING_ROW_FIELDS = (
    "id",
    "school_id",
    "role",
    "officer__collar_number",
    "officer__first_name",
    "officer__last_name",
    "officer__rank",
    "start_date",
    "end_date",
)
SCORE_ROW_FIELDS = (
    "total",
    "rank_in_bcu",
    "band",
    "crime",
    "fsm",
    "pupils",
    "advice",
    "coverage",
)
_SCORE_COLUMNS = {name: f"latest_score__{name}" for name in SCORE_ROW_FIELDS}


def school_rows(*, ids: list[int]) -> list[dict]:
    """The schools with these ids, in this order, as plain dicts (three queries, no model
    instances: building ~650 of them was most of a 100-school page's time).

    Each dict holds ``SCHOOL_ROW_FIELDS``, plus ``current_postings`` (dicts of
    ``POSTING_ROW_FIELDS``, by role, start date, id) and ``priority`` (the latest run's score as
    a dict of ``SCORE_ROW_FIELDS`` and ``run__computed_at``, or None). An id no longer found is
    left out.
    """
    if not ids:
        return []
    latest_run = latest_run_stamp()
    # Unordered: the caller's id order is kept below, so the model's name ordering would be a wasted sort.
    schools = School.objects.filter(pk__any_of=id_set(ids)).order_by()
    score_columns: tuple[str, ...] = ()
    if latest_run is not None:
        # The latest run's score joined in the same query (one score per school per run, a constraint).
        schools = schools.annotate(
            latest_score=FilteredRelation("priority_scores", condition=Q(priority_scores__run_id=latest_run["pk"]))
        )
        score_columns = ("latest_score__pk", *_SCORE_COLUMNS.values())
    rows = {row["pk"]: row for row in schools.values(*SCHOOL_ROW_FIELDS, *score_columns)}
    for row in rows.values():
        scored = row.pop("latest_score__pk", None) is not None
        score = {name: row.pop(column, None) for name, column in _SCORE_COLUMNS.items()}
        row["priority"] = {**score, "run__computed_at": latest_run["computed_at"]} if scored else None
        row["current_postings"] = []
    postings = (
        Posting.objects.current()
        .filter(school_id__any_of=id_set(ids))
        .order_by("role", "start_date", "pk")
        .values(*POSTING_ROW_FIELDS)
    )
    for posting in postings:
        if posting["school_id"] in rows:
            rows[posting["school_id"]]["current_postings"].append(posting)
    return [rows[pk] for pk in ids if pk in rows]


POSTING_LIST_FIELDS = (
    "id",
    "school__urn",
    "role",
    "officer__collar_number",
    "officer__first_name",
    "officer__last_name",
    "officer__rank",
    "start_date",
    "end_date",
    "updated_at",
)


def posting_rows(*, ids: list[int]) -> list[dict]:
    """The postings with these ids, in this order, as dicts of ``POSTING_LIST_FIELDS`` (one
    query, no model instances: building 300 of them was a third of a 100-posting page's time).
    An id no longer found is left out."""
    if not ids:
        return []
    postings = Posting.objects.filter(pk__any_of=id_set(ids)).order_by().values(*POSTING_LIST_FIELDS)
    rows = {row["id"]: row for row in postings}
    return [rows[pk] for pk in ids if pk in rows]


class _Completion(NamedTuple):
    """What ``course_status`` reads of a training record."""

    course_id: int
    completed_on: datetime.date
    expires_on: datetime.date | None


def officer_compliance_rows(*, officers: QuerySet[Officer], on: datetime.date) -> list[dict]:
    """The training compliance on ``on`` of these officers, as
    ``officers.selectors.training_compliance`` decides it (``course_status``, one rule), built
    from plain rows: three queries (required courses, officers, their records), no model
    instances.

    Each dict holds ``pk``, ``collar_number``, ``first_name``, ``last_name``, ``rank``,
    ``bcu__code``, ``is_compliant`` and ``courses``: one (course, status) per required course,
    by name. In no particular order.
    """
    courses = required_courses()
    rows = list(officers.order_by().values("pk", "collar_number", "first_name", "last_name", "rank", "bcu__code"))
    if not rows:
        return []
    completions: dict[tuple[int, int], list[_Completion]] = {}
    records = TrainingRecord.objects.filter(
        officer_id__any_of=id_set(row["pk"] for row in rows),
        course__in=[course.pk for course in courses],
        completed_on__lte=on,
    ).order_by()
    for officer_id, *completion in records.values_list("officer_id", "course_id", "completed_on", "expires_on"):
        completions.setdefault((officer_id, completion[0]), []).append(_Completion(*completion))
    for row in rows:
        row["courses"] = [
            (course, course_status(completions.get((row["pk"], course.pk), ()), on=on)[0]) for course in courses
        ]
        row["is_compliant"] = all(status in COMPLIANT_STATUSES for _, status in row["courses"])
    return rows
