"""Dispatching due reminders: each kind lists the reminders due on a day, and each is recorded in
the outbox (``notifications``) once per kind, object, due date and recipient.

The daily run catches up: it dispatches every day from the day after the last one completed
(``DispatchRun``) to today, at most ``REMINDER_CATCH_UP_DAYS`` back, so reminders due while beat or
the workers were down go out when they return, once each.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.reminders import DAILY_KINDS, REMINDER_KINDS, Reminder
from notifications.models import Delivery
from notifications.services import deliver
from reminders.models import DispatchRun

logger = logging.getLogger(__name__)


def send_reminder(reminder: Reminder) -> list[Delivery]:
    """Record the reminder's e-mail to each recipient and send each one, at most once per due date.

    Through the one delivery path (``notifications.services.deliver``): a reminder already sent
    for the same kind, object, due date and recipient is skipped; one whose sending failed is
    sent again. The sends are enqueued once the current transaction commits.
    """
    return deliver(
        kind=reminder.kind,
        object_key=reminder.object_key,
        due_on=reminder.due_on,
        recipients=reminder.recipients,
        subject=reminder.subject,
        body=reminder.body,
    )


def days_to_dispatch(*, today: datetime.date) -> list[datetime.date]:
    """The days the daily run dispatches: from the day after the last completed one to ``today``,
    no further back than ``REMINDER_CATCH_UP_DAYS`` (today alone on the very first run)."""
    oldest = today - datetime.timedelta(days=max(settings.REMINDER_CATCH_UP_DAYS - 1, 0))
    last = DispatchRun.objects.filter(day__lte=today).order_by("-day").values_list("day", flat=True).first()
    start = today if last is None else min(max(last + datetime.timedelta(days=1), oldest), today)
    return [start + datetime.timedelta(days=n) for n in range((today - start).days + 1)]


@dataclass
class DispatchResult:
    days: list[datetime.date]
    recorded: int = 0
    failed: list[tuple[datetime.date, str]] = field(default_factory=list)


def dispatch_reminders(*, days: list[datetime.date]) -> DispatchResult:
    """Record every reminder due on each of ``days`` (oldest first) and queue its sending.

    One failing kind does not stop the others. A day on which every kind listed its reminders is
    recorded as complete, unless an earlier day of the same run was not, so that the next run
    starts again from the first incomplete day. A daily kind (``DAILY_KINDS``: an escalation
    repeated every day) is asked for the last day only: its reminder of that day says all that
    the missed days' would have.
    """
    result = DispatchResult(days=days)
    complete_so_far = True
    for day in days:
        day_complete = True
        for kind, due_reminders in REMINDER_KINDS.items():
            if kind in DAILY_KINDS and day != days[-1]:
                continue
            try:
                with transaction.atomic():
                    due = list(due_reminders(day))
                    for reminder in due:
                        send_reminder(reminder)
            except Exception:
                logger.exception("Reminder kind %s failed to dispatch the reminders due on %s", kind, day)
                result.failed.append((day, kind))
                day_complete = False
                continue
            result.recorded += len(due)
        complete_so_far = complete_so_far and day_complete
        if complete_so_far:
            DispatchRun.objects.update_or_create(day=day, defaults={"completed_at": timezone.now()})
    if len(days) > 1:
        logger.info("Reminders dispatched for %d days, %s to %s (catching up)", len(days), days[0], days[-1])
    return result
