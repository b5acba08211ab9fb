from celery import shared_task

from safeguarding.models import Concern
from safeguarding.services import purge_orphaned_attachment_files, send_shared_concern_notification


@shared_task
def notify_officers_of_shared_concern(concern_id: int) -> int:
    """What sharing enqueued before its notices were recorded as deliveries, kept so that such
    tasks still in the queue (or retrying) when this release is deployed are not lost; nothing
    enqueues it now, and it can go in the release after.

    Records and sends the notices through the delivery path (once per officer and concern).
    """
    concern = Concern.objects.only("pk", "school_id", "shared_at").get(pk=concern_id)
    return send_shared_concern_notification(concern=concern)


@shared_task
def purge_orphaned_attachments() -> int:
    """Nightly: delete attachment files no attachment row points to (see the service)."""
    return len(purge_orphaned_attachment_files())
