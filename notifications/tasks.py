from smtplib import SMTPException

from celery import shared_task

from notifications import sending


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_delivery(delivery_id: int) -> bool:
    """Send one recorded e-mail (takes its id only); a mail error is recorded, then retried with backoff."""
    return sending.send_delivery(delivery_id)
