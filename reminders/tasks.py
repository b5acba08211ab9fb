import logging
from datetime import date
from functools import partial
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.reminders import REMINDER_KINDS, reminders_due
from reminders.services import send_reminder

logger = logging.getLogger(__name__)


class ReminderKindsFailed(Exception):
    """Some kinds could not list their due reminders; every other kind's were still enqueued."""


@shared_task
def dispatch_due_reminders(on: str | None = None) -> None:
    """Enqueue one send task per due reminder and recipient (keys only, never message text)."""
    # The London date, whatever time zone the worker's machine is set to.
    day = date.fromisoformat(on) if on else timezone.localdate()
    failed = []
    for kind, due_reminders in REMINDER_KINDS.items():
        try:
            due = [(reminder.object_key, to) for reminder in due_reminders(day) for to in reminder.recipients]
        except Exception:
            # One broken kind must not stop every other reminder going out.
            logger.exception("Reminder kind %s failed to list the reminders due on %s", kind, day)
            failed.append(kind)
            continue
        for object_key, recipient in due:
            transaction.on_commit(partial(send_one_reminder.delay, kind, object_key, day.isoformat(), recipient))
    if failed:
        raise ReminderKindsFailed(f"Reminder kinds failed on {day}: {', '.join(failed)}")


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_one_reminder(kind: str, object_key: str, on: str, recipient: str) -> bool:
    """Rebuild the reminder from its kind and send it once; a mail error raises and is retried."""
    for reminder in reminders_due(kind, date.fromisoformat(on), object_key=object_key):
        if reminder.object_key == object_key and recipient in reminder.recipients:
            return send_reminder(reminder, recipient)
    return False
