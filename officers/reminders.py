"""Reminder kinds about officers and their postings.

Training: 30 and 7 days before a record expires, and on the day it does. Sent to the officer
(when they have a login with an e-mail address) and to the managers of the officer's BCU (every
BCU manager while that BCU has none assigned).

Posting review ("posting-review"): every current posting is reviewed once a school term.

A posting is due for review at each term start (1 September, 1 January, 20 April) if it
started before that day and is still in force; the reminder goes to the managers of the
officer's BCU (every BCU manager while that BCU has none assigned) and is due on the term
start. Reminders are yielded for two weeks after the term start, so a day the dispatcher did
not run is caught up; the once-only rule sends each one once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import dateformat
from django.utils.dateformat import format as format_date

from access.roles import bcu_manager_addresses
from core.links import portal_url
from core.reminders import Reminder, addenda, object_id, reminder_kind

from .models import Posting
from .selectors import term_start, training_records_expiring_on


def _training_reminders(kind: str, on: datetime.date, days_ahead: int, object_key: str | None) -> Iterator[Reminder]:
    expiry = on + datetime.timedelta(days=days_ahead)
    records = training_records_expiring_on(day=expiry)
    if object_key is not None:
        records = records.filter(pk=object_id(object_key, "training"))
    managers = bcu_manager_addresses()
    for record in records:
        officer = record.officer
        officer_email = officer.user.email if officer.user and officer.user.is_active and officer.user.email else ""
        recipients = tuple(dict.fromkeys([e for e in (officer_email, *managers.for_bcu(officer.bcu_id)) if e]))
        if not recipients:
            continue
        link = portal_url("admin:officers_officer_change", officer.pk)
        when = format_date(expiry, "j M Y")
        record_name = f"Training record {record.pk} ({record.course.code}) of officer {officer.collar_number}"
        if days_ahead:
            subject = f"Training expires on {when}: {record.course.name} (officer {officer.collar_number})"
            lines = [f"{record_name} expires on {when}."]
        else:
            subject = f"Training expired today: {record.course.name} (officer {officer.collar_number})"
            lines = [f"{record_name} expired on {when}."]
        if record.course.required_for_sso:
            lines.append("Until it is renewed the officer cannot take a new school posting without an override.")
        lines.append(f"Officer record: {link}")
        body = "\n".join(lines) + "\n"
        yield Reminder(
            kind=kind,
            object_key=f"training:{record.pk}",
            due_on=on,
            recipients=recipients,
            subject=subject,
            body=body,
        )


@reminder_kind("training-expiring-30")
def training_expiring_in_30_days(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    yield from _training_reminders("training-expiring-30", on, 30, object_key)


@reminder_kind("training-expiring-7")
def training_expiring_in_7_days(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    yield from _training_reminders("training-expiring-7", on, 7, object_key)


@reminder_kind("training-expired")
def training_expired(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    yield from _training_reminders("training-expired", on, 0, object_key)


# (month, day) of each term start: autumn, spring, summer.
TERM_STARTS = ((9, 1), (1, 1), (4, 20))
CATCH_UP = datetime.timedelta(days=14)


def latest_term_start(on: datetime.date) -> datetime.date:
    """The most recent term start on or before ``on``."""
    return term_start(on, term_starts=TERM_STARTS)


@reminder_kind("posting-review")
def postings_due_for_review(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    review_day = latest_term_start(on)
    managers = bcu_manager_addresses()
    if on - review_day > CATCH_UP or not managers.everyone:
        return
    postings = (
        Posting.objects.current(review_day)
        .current(on)
        .filter(start_date__lt=review_day)
        .order_by("pk")
        .only("pk", "school_id", "officer__bcu_id")
        .select_related("officer")
    )
    if object_key is not None:
        postings = postings.filter(pk=object_id(object_key, "posting"))
    for posting in postings:
        link = portal_url("admin:officers_posting_change", posting.pk)
        yield Reminder(
            kind="posting-review",
            object_key=f"posting:{posting.pk}",
            due_on=review_day,
            recipients=managers.for_bcu(posting.officer.bcu_id),
            subject=f"Termly review due: posting {posting.pk}",
            body=(
                f"Posting {posting.pk} (school id {posting.school_id}) is due for its termly review "
                f"from {dateformat.format(review_day, 'j M Y')}.\n\n"
                f"{addenda('posting-review', f'posting:{posting.pk}', on)}Review it here: {link}\n"
            ),
        )
