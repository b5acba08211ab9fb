"""Reminder kinds of casework, counted in school days (the calendar of ``safeguarding.reminders``):

- "file-transfer-not-acknowledged": a child protection file not acknowledged (in the portal) or
  whose receipt is not recorded (outside it) 5 school days after it was sent (KCSIE), then every 5
  school days while that lasts; to the current DSLs of both schools (the sending school's only
  for a school outside the portal).
- "challenge-no-response": an open professional challenge with no new step for 5 school days,
  then every 5 school days; to whoever opened it and the school's current DSLs.

Each reminder is due on a date derived from the record, so a day dispatched late sends what fell
due that day, once (the ``reminders`` app's exactly-once and catch-up rules). Bodies hold ids and
links only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from casework.models import FileTransfer, ProfessionalChallenge
from core.links import portal_url
from core.reminders import Reminder, object_id, reminder_kind
from safeguarding.reminders import add_school_days
from schools.models import DSLContact

SCHOOL_DAYS_TO_ACKNOWLEDGE = 5
SCHOOL_DAYS_WITHOUT_RESPONSE = 5


def latest_due_date(start: datetime.date, every: int, on: datetime.date) -> datetime.date | None:
    """The latest of ``start`` + every, 2 x every, ... school days that is on or before ``on``; None
    before the first."""
    due = add_school_days(start, every)
    if due > on:
        return None
    while True:
        following = add_school_days(due, every)
        if following > on:
            return due
        due = following


def _dsl_addresses(school_ids: Iterable[int]) -> dict[int, set[str]]:
    by_school: dict[int, set[str]] = defaultdict(set)
    contacts = DSLContact.objects.filter(school_id__in=set(school_ids), is_current=True).exclude(email="")
    for school_id, email in contacts.values_list("school_id", "email"):
        by_school[school_id].add(email)
    return by_school


@reminder_kind("file-transfer-not-acknowledged")
def transfer_not_acknowledged(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    # Five school days always span at least five calendar days: a cheap filter in the database.
    transfers = FileTransfer.objects.open().filter(
        sent_on__lte=on - datetime.timedelta(days=SCHOOL_DAYS_TO_ACKNOWLEDGE)
    )
    if object_key is not None:
        transfers = transfers.filter(pk=object_id(object_key, "transfer"))
    transfers = list(transfers.only("pk", "from_school_id", "to_school_id", "sent_on", "status"))
    addresses = _dsl_addresses(
        {t.from_school_id for t in transfers} | {t.to_school_id for t in transfers if t.to_school_id}
    )
    for transfer in transfers:
        due_on = latest_due_date(transfer.sent_on, SCHOOL_DAYS_TO_ACKNOWLEDGE, on)
        recipients = set(addresses[transfer.from_school_id])
        if transfer.to_school_id:
            recipients |= addresses[transfer.to_school_id]
        if due_on is None or not recipients:
            continue
        what = "acknowledged by the new school" if transfer.to_school_id else "confirmed as received"
        yield Reminder(
            kind="file-transfer-not-acknowledged",
            object_key=f"transfer:{transfer.pk}",
            due_on=due_on,
            recipients=tuple(sorted(recipients)),
            subject=f"Child protection file transfer {transfer.pk}: not yet {what}",
            body=(
                f"The child protection file sent on {transfer.sent_on:%d %b %Y} (transfer {transfer.pk}) has not been "
                f"{what}. Keeping children safe in education asks that the file reaches the new school within "
                f"{SCHOOL_DAYS_TO_ACKNOWLEDGE} school days.\n\n"
                f"Open it in the portal: {portal_url('casework:transfer-detail', transfer.pk)}\n"
            ),
        )


@reminder_kind("challenge-no-response")
def challenge_no_response(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    challenges = ProfessionalChallenge.objects.open().filter(
        last_step_on__lte=on - datetime.timedelta(days=SCHOOL_DAYS_WITHOUT_RESPONSE)
    )
    if object_key is not None:
        challenges = challenges.filter(pk=object_id(object_key, "challenge"))
    challenges = list(
        challenges.select_related("opened_by").only("pk", "school_id", "stage", "last_step_on", "opened_by__email")
    )
    addresses = _dsl_addresses({c.school_id for c in challenges})
    for challenge in challenges:
        due_on = latest_due_date(challenge.last_step_on, SCHOOL_DAYS_WITHOUT_RESPONSE, on)
        recipients = set(addresses[challenge.school_id])
        if challenge.opened_by.email:
            recipients.add(challenge.opened_by.email)
        if due_on is None or not recipients:
            continue
        yield Reminder(
            kind="challenge-no-response",
            object_key=f"challenge:{challenge.pk}",
            due_on=due_on,
            recipients=tuple(sorted(recipients)),
            subject=(
                f"Professional challenge {challenge.pk}: "
                f"nothing recorded for {SCHOOL_DAYS_WITHOUT_RESPONSE} school days"
            ),
            body=(
                f"Professional challenge {challenge.pk} is open at the {challenge.get_stage_display().lower()} stage "
                f"and nothing has been recorded on it for {SCHOOL_DAYS_WITHOUT_RESPONSE} school days. Record the "
                "response, or escalate it to the next stage of the partnership's escalation policy.\n\n"
                f"Open it in the portal: {portal_url('casework:challenge-detail', challenge.pk)}\n"
            ),
        )
