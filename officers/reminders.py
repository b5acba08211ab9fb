"""Reminder kinds for officers' training: 30 and 7 days before it expires, and on the day it does.

Sent to the officer (when they have a login with an e-mail address) and to the managers of
the officer's BCU (every BCU manager while that BCU has none assigned).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils.dateformat import format as format_date

from reminders.registry import Reminder, object_id, portal_url, reminder_kind
from ssoportal.roles import bcu_manager_addresses

from .selectors import training_records_expiring_on


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
