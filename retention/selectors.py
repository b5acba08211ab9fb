"""Reads for the data protection officer's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from retention.models import CandidateStatus, ErasureCandidate, RecordType


@dataclass(frozen=True)
class CandidateCount:
    record_type: str
    label: str
    pending: int
    held: int


def candidate_counts() -> list[CandidateCount]:
    """Records listed for erasure, awaiting review and held, for every record type (one query)."""
    counts = {
        row["record_type"]: row
        for row in ErasureCandidate.objects.order_by()
        .values("record_type")
        .annotate(
            pending=Count("pk", filter=Q(status=CandidateStatus.PENDING)),
            held=Count("pk", filter=Q(status=CandidateStatus.HELD)),
        )
    }
    return [
        CandidateCount(
            record_type=value,
            label=label,
            pending=counts.get(value, {}).get("pending", 0),
            held=counts.get(value, {}).get("held", 0),
        )
        for value, label in RecordType.choices
    ]
