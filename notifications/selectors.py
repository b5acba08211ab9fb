"""Reads of deliveries, for the pages that report on the e-mails of their objects."""

from __future__ import annotations

from notifications.models import Delivery, DeliveryStatus


def failed_deliveries(*, kind: str, object_key: str) -> list[Delivery]:
    """The object's e-mails of ``kind`` whose last attempt failed, oldest first (one query)."""
    return list(
        Delivery.objects.filter(kind=kind, object_key=object_key, status=DeliveryStatus.FAILED)
        .only("pk", "attempts", "last_attempt_at")
        .order_by("created_at", "pk")
    )
