"""Reminder kind "posting-review": every current posting is reviewed once a school term.

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

from officers.models import Posting
from reminders.registry import portal_url
from ssoportal.roles import bcu_manager_addresses

from .registry import Reminder, object_id, reminder_kind

# (month, day) of each term start: autumn, spring, summer.
TERM_STARTS = ((9, 1), (1, 1), (4, 20))
CATCH_UP = datetime.timedelta(days=14)


def latest_term_start(on: datetime.date) -> datetime.date:
    """The most recent term start on or before ``on``."""
    return max(
        datetime.date(year, month, day)
        for year in (on.year - 1, on.year)
        for month, day in TERM_STARTS
        if datetime.date(year, month, day) <= on
    )


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
                f"from {dateformat.format(review_day, 'j M Y')}.\n\nReview it here: {link}\n"
            ),
        )
