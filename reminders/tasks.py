import logging
from dataclasses import replace
from datetime import date

from celery import shared_task
from django.utils import timezone

from core.reminders import REMINDER_KINDS, reminders_due
from reminders.services import send_reminder

logger = logging.getLogger(__name__)


class ReminderKindsFailed(Exception):
    """Some kinds could not list their due reminders; every other kind's were still enqueued."""


@shared_task
def dispatch_due_reminders(on: str | None = None) -> None:
    """Record a delivery per due reminder and recipient, and enqueue a send task (its id only) for each
    one not sent yet."""
    # The London date, whatever time zone the worker's machine is set to.
    day = date.fromisoformat(on) if on else timezone.localdate()
    failed = []
    for kind, due_reminders in REMINDER_KINDS.items():
        try:
            due = list(due_reminders(day))
        except Exception:
            # One broken kind must not stop every other reminder going out.
            logger.exception("Reminder kind %s failed to list the reminders due on %s", kind, day)
            failed.append(kind)
            continue
        for reminder in due:
            send_reminder(reminder)
    if failed:
        raise ReminderKindsFailed(f"Reminder kinds failed on {day}: {', '.join(failed)}")


@shared_task
def send_one_reminder(kind: str, object_key: str, on: str, recipient: str) -> bool:
    """What the dispatch enqueued before reminders were recorded as deliveries, kept so that such
    tasks still in the queue (or retrying) when this release is deployed are not lost; nothing
    enqueues it now, and it can go in the release after.

    Rebuilds the reminder from its kind and records and sends it to ``recipient`` through the
    delivery path (at most once per due date); False when it is no longer due to them.
    """
    for reminder in reminders_due(kind, date.fromisoformat(on), object_key=object_key):
        if reminder.object_key == object_key and recipient in reminder.recipients:
            send_reminder(replace(reminder, recipients=(recipient,)))
            return True
    return False
