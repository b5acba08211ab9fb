"""Sending one outbox row, as the send task does: "sending" committed before the message is handed
to the mail server, "sent" (or "failed") committed after.

The states a delivery moves through::

    pending ──► sending ──► sent
       ▲           │
       │           └──► failed ──► (the task's retry, or "send again") ──► sending ...
       └── (send again)

and "cancelled" instead of "sending" when a renderer says the message is no longer wanted.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.renderers import body_to_send

logger = logging.getLogger(__name__)

ERROR_LENGTH = Delivery._meta.get_field("last_error").max_length
# How often the outcome of a send is written again after the database connection dropped.
OUTCOME_WRITE_TRIES = 4


def sending_is_stale(delivery: Delivery, *, now: datetime.datetime | None = None) -> bool:
    """True when a "sending" row was started longer ago than any live send can take: its sender
    stopped (a worker killed, a machine lost) between committing "sending" and the outcome."""
    stale_after = datetime.timedelta(seconds=settings.NOTIFICATIONS_SENDING_STALE_SECONDS)
    started = delivery.last_attempt_at or delivery.created_at
    return started <= (now or timezone.now()) - stale_after


def send_delivery(delivery_id: int) -> bool:
    """Send one outbox row unless it was sent already or is being sent now; True when this call sent it.

    1. In a transaction of its own, holding the row's lock: a row already sent or cancelled is
       left alone, and so is one another sender marked "sending" less than
       ``NOTIFICATIONS_SENDING_STALE_SECONDS`` ago. Otherwise the attempt is counted
       (``attempts`` + 1, ``last_attempt_at``) and the row marked "sending"; this commits before
       anything is sent.
    2. The message goes to the mail server with the row's own Message-ID header.
    3. The outcome is committed: "sent" (``sent_at``), or "failed" (``last_error``, and the error
       is raised again for the task's retry policy). If the database connection dropped meanwhile,
       the outcome is written again on a new connection rather than lost.

    A second task for the same row (the daily dispatch run twice, the sweep, a message the broker
    delivered twice) finds it sent, or sending, and sends nothing. A sender that stops between
    1 and 3 leaves the row "sending"; once that is stale the sweep sends it again with the same
    Message-ID. Had the mail server accepted it before the stop, the recipient gets two copies
    of one message with one Message-ID, which mail systems recognise as the same message: the
    only duplicate possible, and better than a notice that never arrives.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.CANCELLED):
            return False
        if delivery.status == DeliveryStatus.SENDING and not sending_is_stale(delivery):
            return False  # another sender is on it now
        body = body_to_send(delivery)
        if body is None:
            delivery.status = DeliveryStatus.CANCELLED
            delivery.save(update_fields=["status"])
            return False
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.status = DeliveryStatus.SENDING
        delivery.save(update_fields=["attempts", "last_attempt_at", "status"])

    try:
        send_mail(
            delivery.subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient], message_id=delivery.message_id
        )
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        _write_outcome(lambda: _record_failure(delivery, reason))
        # Ids only in the logs: the recipient's address stays in the record.
        logger.warning(
            "Delivery %s (%s, %s) failed on attempt %d: %s",
            delivery.pk,
            delivery.kind,
            delivery.object_key,
            delivery.attempts,
            type(error).__name__,
        )
        raise
    _write_outcome(lambda: _record_sent(delivery))
    return True


def send_mail(subject: str, body: str, from_email: str, recipients: list[str], *, message_id: str) -> None:
    """Hand one message to the mail server (Django's e-mail backend) with the delivery's Message-ID."""
    EmailMessage(
        subject=subject, body=body, from_email=from_email, to=recipients, headers={"Message-ID": message_id}
    ).send()


def _record_sent(delivery: Delivery) -> None:
    # Whatever happened to the row meanwhile (a sweep that found it stale), this message went.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")


def _record_failure(delivery: Delivery, reason: str) -> None:
    # Only this attempt's row: a later attempt (the sweep, after this one went stale) owns it now.
    Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED, last_error=reason
    )


def _write_outcome(write: Callable[[], None]) -> None:
    """Write a send's outcome, on a new connection if the old one dropped (a database restart, a
    connection killed by a proxy): the message has gone, and saying so must not be lost with it.
    Inside a transaction (eager tasks in tests) a broken connection cannot be replaced: raised."""
    for attempt in range(1, OUTCOME_WRITE_TRIES + 1):
        try:
            write()
            return
        except (OperationalError, InterfaceError):
            if attempt == OUTCOME_WRITE_TRIES or connection.in_atomic_block:
                raise
            logger.warning("The outcome of a send could not be written (attempt %d); reconnecting", attempt)
            connection.close()
            time.sleep(0.5 * attempt)
