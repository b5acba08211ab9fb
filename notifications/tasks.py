"""The outbox's Celery tasks: send one row, and the sweep that sends whatever is still waiting.

Publishing a task must never undo or fail the change that recorded the row: ``enqueue_send``
gives up after the broker's short socket timeouts (``CELERY_BROKER_SOCKET_TIMEOUT``) and logs
it, and the sweep sends the row within a minute or so of the broker coming back.
"""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from notifications import selectors, sending

logger = logging.getLogger(__name__)

# Worth another try after a wait: the mail server or network (OSError covers refused and dropped
# connections and timeouts), the database (a restart, a dropped connection) and the broker.
RETRYABLE_ERRORS = (SMTPException, OSError, OperationalError, InterfaceError, BrokerError)


@shared_task(acks_late=True, autoretry_for=RETRYABLE_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_delivery(delivery_id: int) -> bool:
    """Send one outbox row (takes its id only); a mail, database or broker error is retried with backoff."""
    return sending.send_delivery(delivery_id)


def enqueue_send(delivery_id: int) -> bool:
    """Queue the send task of one row; False, logged once, when the broker cannot take it now.

    Called once the transaction that recorded the row commits: whatever happens here, the change
    and the row stand, and the sweep picks the row up later. No retry here (``retry=False``) and
    short socket timeouts on the broker connection, so a stopped or frozen broker holds a web
    request for a few seconds at most.
    """
    try:
        send_delivery.apply_async((delivery_id,), retry=False)
    except Exception as error:  # the broker down, frozen or refusing; in eager mode, the send itself
        logger.warning(
            "Delivery %s was not queued (%s): the outbox sweep will send it", delivery_id, type(error).__name__
        )
        return False
    return True


@shared_task
def sweep_outbox() -> int:
    """Every minute: queue a send for each row still pending after its own task should have sent
    it, and each row left "sending" by a sender that stopped. Returns how many were queued."""
    queued = 0
    for delivery_id in selectors.deliveries_to_sweep():
        queued += enqueue_send(delivery_id)
    return queued
