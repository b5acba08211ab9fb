from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from reminders.registry import REMINDER_KINDS
from reminders.services import send_reminder


@shared_task
def dispatch_due_reminders(on: str | None = None) -> None:
    """Enqueue one send task per due reminder and recipient (keys only, never message text)."""
    # The London date, whatever time zone the worker's machine is set to.
    day = date.fromisoformat(on) if on else timezone.localdate()
    for kind, due_reminders in REMINDER_KINDS.items():
        for reminder in due_reminders(day):
            for recipient in reminder.recipients:
                transaction.on_commit(
                    lambda k=kind, key=reminder.object_key, r=recipient: send_one_reminder.delay(
                        k, key, day.isoformat(), r
                    )
                )


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_one_reminder(kind: str, object_key: str, on: str, recipient: str) -> bool:
    """Rebuild the reminder from its kind and send it once; a mail error raises and is retried."""
    for reminder in REMINDER_KINDS[kind](date.fromisoformat(on)):
        if reminder.object_key == object_key and recipient in reminder.recipients:
            return send_reminder(reminder, recipient)
    return False
