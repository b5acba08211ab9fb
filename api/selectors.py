"""Reads for the council API: token look-up and every queryset an endpoint starts from.

Each endpoint's rows are scoped here, in one place, to the local authorities the client is
granted; a row outside them is simply not found (404 on detail).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from officers.models import Officer, OfficerStatus, Posting
from priorities.models import PriorityScore
from priorities.selectors import latest_run_id
from schools.models import DSLContact, School
from searches.models import SearchRecord

from .models import ApiClient, ApiToken
from .services import hash_secret


def usable_token_for_secret(*, secret: str) -> ApiToken | None:
    """The usable token whose secret this is (client loaded, with its granted LA ids), or None."""
    token = ApiToken.objects.usable().select_related("client").filter(secret_hash=hash_secret(secret)).first()
    return token


def granted_local_authority_ids(*, client: ApiClient) -> QuerySet:
    """The ids of the client's local authorities, as a subquery: filtering on it costs no query of its own."""
    return ApiClient.local_authorities.through.objects.filter(apiclient_id=client.pk).values("localauthority_id")


def schools_for_client(*, client: ApiClient) -> QuerySet[School]:
    """Schools of the client's local authorities, nothing joined: the list filters, orders and
    pages on it, then loads just the page with ``school_rows``."""
    return School.objects.filter(local_authority_id__in=granted_local_authority_ids(client=client))


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
    "school_id",
    "total",
    "rank_in_bcu",
    "band",
    "crime",
    "fsm",
    "pupils",
    "advice",
    "coverage",
    "run__computed_at",
)


def school_rows(*, ids: list[int]) -> list[dict]:
    """The schools with these ids, in this order, as plain dicts (three queries, no model
    instances: building ~650 of them was most of a 100-school page's time).

    Each dict holds ``SCHOOL_ROW_FIELDS``, plus ``current_postings`` (dicts of
    ``POSTING_ROW_FIELDS``, by role, start date, id) and ``priority`` (the latest run's score as
    a dict of ``SCORE_ROW_FIELDS``, or None). An id no longer found is left out.
    """
    if not ids:
        return []
    schools = {row["pk"]: row for row in School.objects.filter(pk__in=ids).values(*SCHOOL_ROW_FIELDS)}
    for school in schools.values():
        school["current_postings"] = []
        school["priority"] = None
    postings = (
        Posting.objects.current()
        .filter(school_id__in=ids)
        .order_by("role", "start_date", "pk")
        .values(*POSTING_ROW_FIELDS)
    )
    for posting in postings:
        if posting["school_id"] in schools:
            schools[posting["school_id"]]["current_postings"].append(posting)
    # One score per school per run (a constraint): no ordering needed.
    scores = PriorityScore.objects.filter(run_id=latest_run_id(), school_id__in=ids).order_by()
    for score in scores.values(*SCORE_ROW_FIELDS):
        if score["school_id"] in schools:
            schools[score["school_id"]]["priority"] = score
    return [schools[pk] for pk in ids if pk in schools]


def postings_for_client(*, client: ApiClient) -> QuerySet[Posting]:
    return Posting.objects.filter(
        school__local_authority_id__in=granted_local_authority_ids(client=client)
    ).select_related("officer", "school")


def dsl_contacts_for_client(*, client: ApiClient) -> QuerySet[DSLContact]:
    return DSLContact.objects.filter(
        school__local_authority_id__in=granted_local_authority_ids(client=client)
    ).select_related("school")


def officers_for_client(*, client: ApiClient, on: datetime.date | None = None) -> QuerySet[Officer]:
    """Officers (who have not left) holding a current posting at a school of the client's LAs."""
    serving = Posting.objects.current(on).filter(
        officer=OuterRef("pk"), school__local_authority_id__in=granted_local_authority_ids(client=client)
    )
    return Officer.objects.exclude(status=OfficerStatus.LEFT).filter(Exists(serving))


def schools_for_statistics(*, client: ApiClient) -> QuerySet[School]:
    """The client's schools without the loading the school list needs: statistics count, not show."""
    return School.objects.filter(local_authority_id__in=granted_local_authority_ids(client=client))


def search_records_for_client(*, client: ApiClient) -> QuerySet[SearchRecord]:
    """Searches made at schools of the client's LAs (for aggregated, suppressed statistics only)."""
    return SearchRecord.objects.filter(school__local_authority_id__in=granted_local_authority_ids(client=client))
