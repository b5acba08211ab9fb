"""Reads for the council API: token look-up and every queryset an endpoint starts from.

Each endpoint's rows are scoped here, in one place, to the local authorities the client is
granted; a row outside them is simply not found (404 on detail).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet

from officers.models import Officer, OfficerStatus, Posting
from priorities.selectors import latest_run_stamp
from schools.models import DSLContact, School
from searches.models import SearchRecord
from ssoportal.lookups import id_set

from .models import ApiClient, ApiToken
from .services import hash_secret


def usable_token_for_secret(*, secret: str) -> ApiToken | None:
    """The usable token whose secret this is (client loaded), or None."""
    return ApiToken.objects.usable().select_related("client").filter(secret_hash=hash_secret(secret)).first()


def granted_local_authority_ids(*, client: ApiClient) -> frozenset[int]:
    """The ids of the client's local authorities, ready for ``__any_of``: one small query, read
    once per client instance (a request loads its client afresh with the token, so a grant
    changed in the admin counts from the next request).

    Literal ids rather than a subquery: PostgreSQL then counts the client's schools from the
    local-authority index and pages them with a hashed IN check, where the subquery cost a
    hash or memoised join in every query (measured: count 2.9 -> 1.0 ms, deep page 3.5 -> 2.2 ms
    on 25,000 schools, bench/bench_api.py).
    """
    if "_granted_local_authority_ids" not in client.__dict__:
        client._granted_local_authority_ids = id_set(
            ApiClient.local_authorities.through.objects.filter(apiclient_id=client.pk).values_list(
                "localauthority_id", flat=True
            )
        )
    return client._granted_local_authority_ids


def schools_for_client(*, client: ApiClient) -> QuerySet[School]:
    """Schools of the client's local authorities, nothing joined: the list filters, orders and
    pages on it, then loads just the page with ``school_rows``."""
    return School.objects.filter(local_authority_id__any_of=granted_local_authority_ids(client=client))


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


def postings_for_client(*, client: ApiClient) -> QuerySet[Posting]:
    return Posting.objects.filter(
        school__local_authority_id__any_of=granted_local_authority_ids(client=client)
    ).select_related("officer", "school")


def dsl_contacts_for_client(*, client: ApiClient) -> QuerySet[DSLContact]:
    return DSLContact.objects.filter(
        school__local_authority_id__any_of=granted_local_authority_ids(client=client)
    ).select_related("school")


def officers_for_client(*, client: ApiClient, on: datetime.date | None = None) -> QuerySet[Officer]:
    """Officers (who have not left) holding a current posting at a school of the client's LAs."""
    serving = Posting.objects.current(on).filter(
        officer=OuterRef("pk"), school__local_authority_id__any_of=granted_local_authority_ids(client=client)
    )
    return Officer.objects.exclude(status=OfficerStatus.LEFT).filter(Exists(serving))


def search_records_for_client(*, client: ApiClient) -> QuerySet[SearchRecord]:
    """Searches made at schools of the client's LAs (for aggregated, suppressed statistics only)."""
    return SearchRecord.objects.filter(school__local_authority_id__any_of=granted_local_authority_ids(client=client))
