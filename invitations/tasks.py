from smtplib import SMTPException

from celery import shared_task

from .mail import send_invitation_email


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_invitation(invitation_id: int) -> bool:
    """E-mail an invitation's link (takes the id only: the link is derived again, never queued)."""
    return send_invitation_email(invitation_id=invitation_id)
