"""Reads for the council API: token look-up and every queryset an endpoint starts from.

Each endpoint's rows are scoped here, in one place, to the local authorities the client is
granted; a row outside them is simply not found (404 on detail).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from officers.models import Officer, OfficerStatus, Posting
from priorities.selectors import latest_scores
from schools.models import DSLContact, School
from searches.models import SearchRecord

from .models import ApiClient, ApiToken
from .services import hash_secret


def usable_token_for_secret(*, secret: str) -> ApiToken | None:
    """The usable token whose secret this is (client loaded, with its granted LA ids), or None."""
    token = (
        ApiToken.objects.usable()
        .select_related("client")
        .prefetch_related("client__local_authorities")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    return token


def granted_local_authority_ids(*, client: ApiClient) -> list[int]:
    # Uses the prefetch made when the token was looked up: no query per request.
    return [la.pk for la in client.local_authorities.all()]


def schools_for_client(*, client: ApiClient) -> QuerySet[School]:
    """Schools of the client's local authorities, with LA, ward, BCU, current postings and the
    latest priority score (``latest_priority_scores``: a list of at most one) loaded."""
    current = Posting.objects.current().select_related("officer").order_by("role", "start_date", "pk")
    return (
        School.objects.filter(local_authority_id__in=granted_local_authority_ids(client=client))
        .select_related("local_authority", "ward", "bcu")
        .prefetch_related(
            Prefetch("postings", queryset=current, to_attr="current_postings"),
            Prefetch(
                "priority_scores",
                queryset=latest_scores().select_related(None).select_related("run"),
                to_attr="latest_priority_scores",
            ),
        )
    )


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
