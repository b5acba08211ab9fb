"""Sending one recorded e-mail, as the send task does: the attempt recorded before, the outcome after."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.renderers import body_to_send

logger = logging.getLogger(__name__)

ERROR_LENGTH = Delivery._meta.get_field("last_error").max_length


def send_delivery(delivery_id: int) -> bool:
    """Send one recorded e-mail unless it was sent already; True when this call sent it.

    1. Before sending, in a transaction of its own that commits: the attempt is counted
       (``attempts`` + 1, ``last_attempt_at``) and the status is pending.
    2. Then, holding the row's lock (``SELECT ... FOR UPDATE``) until the outcome commits: the
       e-mail is sent and the delivery marked sent (``sent_at``), or failed (``last_error``,
       and the error is raised again so that the task retries).

    A second task for the same delivery (the daily dispatch run twice, a message delivered
    twice by the broker) waits for that lock, then finds the delivery sent and sends nothing.
    A worker killed while sending releases the lock with its connection and leaves the
    delivery pending with the attempt counted; the broker delivers the unacknowledged task
    again (``acks_late``) and this sends it.

    At least once, not at most once: if a worker dies after the mail server accepted the
    message but before "sent" is committed, nobody can tell whether it went, and the
    redelivered task sends it again, so the recipient may get it twice. A notice that was
    never sent is worse than one received twice. (A mail error after the server accepted the
    message, such as a dropped connection, can likewise lead to a second copy on retry.)
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.CANCELLED):
            return False
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.status = DeliveryStatus.PENDING
        delivery.save(update_fields=["attempts", "last_attempt_at", "status"])

    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status == DeliveryStatus.SENT:  # another task sent it while this one waited
            return False
        body = body_to_send(delivery)
        if body is None:
            delivery.status = DeliveryStatus.CANCELLED
            delivery.save(update_fields=["status"])
            return False
        try:
            send_mail(delivery.subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient])
        except Exception as error:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
            delivery.save(update_fields=["status", "last_error"])
            # Ids only in the logs: the recipient's address stays in the record.
            logger.warning(
                "Delivery %s (%s, %s) failed on attempt %d: %s",
                delivery.pk,
                delivery.kind,
                delivery.object_key,
                delivery.attempts,
                type(error).__name__,
            )
            failure = error
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            delivery.save(update_fields=["status", "sent_at", "last_error"])
            return True
    # Raised once the failure is committed, for the task's retry policy to act on.
    raise failure
