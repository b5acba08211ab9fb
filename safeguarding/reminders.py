"""Reminder kind "concern-no-action": an open or under-review concern with no chronology action
for 5 school days, sent to the school's current DSL contacts (ids and a link only); and
"task-overdue": an open task past its due date, sent once to the person it is for."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from functools import cache

from django.utils import timezone

from core.reminders import Reminder, object_id, reminder_kind
from safeguarding.selectors import concerns_without_recent_action, tasks_overdue_on
from schools.models import DSLContact

SCHOOL_DAYS_WITHOUT_ACTION = 5


@cache
def bank_holidays():
    """Bank holidays of England (Wales shares them); the object extends itself to any year asked about."""
    # Loaded on first use: importing the package and building the calendar took about 0.5 s of
    # every process's start-up (this module is imported when the apps are loaded).
    import holidays

    return holidays.country_holidays("GB", subdiv="ENG")


def is_school_day(day: datetime.date) -> bool:
    """A weekday that is not a bank holiday (school term dates differ by school and are not known here)."""
    return day.weekday() < 5 and day not in bank_holidays()


def add_school_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th school day after ``start``."""
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        count -= is_school_day(day)
    return day


@reminder_kind("concern-no-action")
def concern_no_action(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    from safeguarding.services import concern_url

    # Five school days always span at least five calendar days: a cheap filter in the database.
    quiet_since = on - datetime.timedelta(days=SCHOOL_DAYS_WITHOUT_ACTION)
    concerns = concerns_without_recent_action(quiet_since=quiet_since).only("pk", "school_id", "created_at")
    if object_key is not None:
        concerns = concerns.filter(pk=object_id(object_key, "concern"))
    concerns = list(concerns)
    recipients_by_school: dict[int, set[str]] = defaultdict(set)
    contacts = DSLContact.objects.filter(school_id__in={c.school_id for c in concerns}, is_current=True)
    for school_id, email in contacts.values_list("school_id", "email"):
        recipients_by_school[school_id].add(email)
    for concern in concerns:
        last_activity = timezone.localtime(concern.created_at).date()
        if concern.last_action_on and concern.last_action_on > last_activity:
            last_activity = concern.last_action_on
        due_on = add_school_days(last_activity, SCHOOL_DAYS_WITHOUT_ACTION)
        recipients = tuple(sorted(recipients_by_school[concern.school_id]))
        if due_on > on or not recipients:
            continue
        yield Reminder(
            kind="concern-no-action",
            object_key=f"concern:{concern.pk}",
            due_on=due_on,
            recipients=recipients,
            subject=f"Safeguarding concern {concern.pk}: no action for {SCHOOL_DAYS_WITHOUT_ACTION} school days",
            body=(
                f"Safeguarding concern {concern.pk} is still open and has had no action recorded in its "
                f"chronology for {SCHOOL_DAYS_WITHOUT_ACTION} school days.\n\n"
                f"Open it in the portal: {concern_url(concern.pk)}\n"
            ),
        )


@reminder_kind("task-overdue")
def task_overdue(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    """An open task past its due date: its assignee is e-mailed once, the day after it fell due
    (a day dispatched late sends it then; recording it again never sends it twice)."""
    from safeguarding.services import task_url

    tasks = tasks_overdue_on(on).only("pk", "due_on", "assigned_to__email")
    if object_key is not None:
        tasks = tasks.filter(pk=object_id(object_key, "task"))
    for task in tasks:
        email = task.assigned_to.email
        if not email:
            continue
        yield Reminder(
            kind="task-overdue",
            object_key=f"task:{task.pk}",
            due_on=task.due_on + datetime.timedelta(days=1),
            recipients=(email,),
            subject=f"Safeguarding task {task.pk} is overdue",
            body=(
                f"Safeguarding task {task.pk} was due on {task.due_on:%d %b %Y} and is not marked done.\n\n"
                f"See your tasks in the portal: {task_url()}\n"
            ),
        )
