"""The one path every e-mail of the portal takes: an outbox row, sent, and the outcome recorded.

``deliver`` records one ``Delivery`` per recipient in the caller's transaction (the outbox row
commits with the change that causes it, or not at all) and, once that transaction commits,
queues ``notifications.tasks.send_delivery`` with the delivery's id (never the message) for each
one not yet sent. That task runs ``notifications.sending.send_delivery``, retrying mail, database
and broker errors with backoff; the sweep (``notifications.tasks.sweep_outbox``, every minute)
sends any row whose task was never queued or whose sender stopped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.tasks import enqueue_send


def record_deliveries(
    *, kind: str, object_key: str, due_on: datetime.date, recipients: Iterable[str], subject: str, body: str
) -> list[Delivery]:
    """One delivery per recipient: a new one (pending), or the one already recorded for the same
    kind, object, due date and recipient, as it stands (two queries, however many recipients)."""
    recipients = sorted(set(recipients))
    Delivery.objects.bulk_create(
        [
            Delivery(kind=kind, object_key=object_key, due_on=due_on, recipient=to, subject=subject, body=body)
            for to in recipients
        ],
        ignore_conflicts=True,
    )
    return list(
        Delivery.objects.filter(kind=kind, object_key=object_key, due_on=due_on, recipient__in=recipients).order_by(
            "recipient"
        )
    )


def deliver(
    *,
    kind: str,
    object_key: str,
    recipients: Iterable[str],
    subject: str,
    body: str,
    due_on: datetime.date | None = None,
) -> list[Delivery]:
    """Record an e-mail to each recipient and send each one not sent yet, once the current
    transaction commits (at once outside a transaction). ``due_on`` defaults to today (London).

    An e-mail already sent for the same kind, object, due date and recipient is not sent again;
    one still pending or failed is sent (again): a second send task for it changes nothing. A
    broker that cannot take the task leaves the row pending for the sweep, never an error.
    """
    deliveries = record_deliveries(
        kind=kind,
        object_key=object_key,
        due_on=due_on or timezone.localdate(),
        recipients=recipients,
        subject=subject,
        body=body,
    )
    for delivery in deliveries:
        if delivery.status not in (DeliveryStatus.SENT, DeliveryStatus.CANCELLED):
            transaction.on_commit(partial(enqueue_send, delivery.pk))
    return deliveries


@transaction.atomic
def send_again(*, kind: str, object_key: str) -> list[Delivery]:
    """Send again the object's e-mails of ``kind`` whose last attempt failed: each goes back to
    pending (its attempts and last error kept until the next outcome) and is queued once the
    transaction commits. Returns them; sent, cancelled and waiting ones are left alone."""
    deliveries = list(
        Delivery.objects.select_for_update()
        .filter(kind=kind, object_key=object_key, status=DeliveryStatus.FAILED)
        .order_by("pk")
    )
    for delivery in deliveries:
        delivery.status = DeliveryStatus.PENDING
        delivery.save(update_fields=["status"])
        transaction.on_commit(partial(enqueue_send, delivery.pk))
    return deliveries
