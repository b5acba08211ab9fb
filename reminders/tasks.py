import logging
from dataclasses import replace
from datetime import date

from celery import shared_task
from django.utils import timezone

from core.reminders import reminders_due
from reminders.services import days_to_dispatch, dispatch_reminders, send_reminder

logger = logging.getLogger(__name__)


class ReminderKindsFailed(Exception):
    """Some kinds could not list their due reminders; every other kind's were still enqueued."""


@shared_task
def dispatch_due_reminders(on: str | None = None) -> int:
    """Daily: record a delivery per due reminder and recipient, and queue the sending of each one
    not sent yet; returns how many reminders were due.

    Without ``on``: every day since the last complete dispatch up to today (London), so that days
    missed while beat or the workers were down are caught up (``reminders.services``). With ``on``
    (``YYYY-MM-DD``): that one day again, to replay it by hand; already sent reminders are skipped.
    """
    # The London date, whatever time zone the worker's machine is set to.
    days = [date.fromisoformat(on)] if on else days_to_dispatch(today=timezone.localdate())
    result = dispatch_reminders(days=days)
    if result.failed:
        failed = ", ".join(f"{kind} on {day}" for day, kind in result.failed)
        raise ReminderKindsFailed(f"Reminder kinds failed: {failed}")
    return result.recorded


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
