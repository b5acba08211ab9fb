"""Reads of deliveries: for the pages that report on the e-mails of their objects, and for the sweep."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus

# Rows queued by one sweep at most; the next sweep, a minute later, takes the rest.
SWEEP_BATCH = 500


def deliveries_of(*, kind: str, object_key: str) -> list[Delivery]:
    """Every e-mail of ``kind`` about the object, by recipient, with its state (one query)."""
    return list(
        Delivery.objects.filter(kind=kind, object_key=object_key)
        .only("pk", "recipient", "status", "attempts", "last_error", "last_attempt_at", "sent_at", "created_at")
        .order_by("recipient", "due_on", "pk")
    )


def deliveries_to_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Ids of the rows the sweep sends, oldest first (one query):

    - pending for longer than ``NOTIFICATIONS_PENDING_GRACE_SECONDS`` since recorded or last tried
      (their task was never queued, because the broker was down, or was lost);
    - "sending" since longer ago than ``NOTIFICATIONS_SENDING_STALE_SECONDS`` (their sender stopped).
    """
    now = now or timezone.now()
    pending_before = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_PENDING_GRACE_SECONDS)
    sending_before = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_SENDING_STALE_SECONDS)
    waiting = Q(status=DeliveryStatus.PENDING, created_at__lte=pending_before) & (
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=pending_before)
    )
    stale = Q(status=DeliveryStatus.SENDING, last_attempt_at__lte=sending_before)
    return list(
        Delivery.objects.filter(waiting | stale)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
