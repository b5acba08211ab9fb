from smtplib import SMTPException

from celery import shared_task

from safeguarding.services import purge_orphaned_attachment_files, send_shared_concern_notification


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def notify_officers_of_shared_concern(concern_id: int) -> int:
    """Tell the school's posted SSOs a concern was shared with them (takes the id only)."""
    return send_shared_concern_notification(concern_id=concern_id)


@shared_task
def purge_orphaned_attachments() -> int:
    """Nightly: delete attachment files no attachment row points to (see the service)."""
    return len(purge_orphaned_attachment_files())
