"""Reads for the council API: token look-up and the rows of a schools page.

Every endpoint starts from ``Model.objects.visible_to(client)``: an ``ApiClient`` reads the rows
of the local authorities it is granted, and a row outside them is simply not found (404 on detail).
"""

from __future__ import annotations

from django.db.models import FilteredRelation, Q

from core.lookups import id_set
from officers.models import Posting
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
