"""Reminder kind "search-referral-outstanding": a daily escalation to the managers of the
search's BCU (every BCU manager while that BCU has none assigned).

Every intimate search of a child (intimate parts exposed, or strip search in custody)
without a safeguarding referral reference is escalated each day, from the day of the
search until the reference is recorded. The due date is the day itself, so each day's
escalation is sent once (the reminders framework's "once per kind, object, due date").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone

from access.roles import bcu_manager_addresses
from core.links import portal_url
from core.reminders import Reminder, object_id, reminder_kind

from .models import SearchRecord

KIND = "search-referral-outstanding"


@reminder_kind(KIND, daily=True)
def outstanding_search_referrals(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    managers = bcu_manager_addresses()
    if not managers.everyone:
        return
    due = SearchRecord.objects.referral_due().filter(searched_at__date__lte=on).order_by("pk")
    if object_key is not None:
        due = due.filter(pk=object_id(object_key, "search"))
    zone = timezone.get_current_timezone()
    for search_id, searched_at, bcu_id in due.values_list("pk", "searched_at", "bcu_id"):
        days = (on - searched_at.astimezone(zone).date()).days
        link = portal_url("admin:searches_searchrecord_change", search_id)
        yield Reminder(
            kind=KIND,
            object_key=f"search:{search_id}",
            due_on=on,
            recipients=managers.for_bcu(bcu_id),
            subject=f"Safeguarding referral outstanding ({_days(days)}): search record {search_id}",
            body=(
                f"Search record {search_id} is a search exposing a child's intimate parts with no "
                f"safeguarding referral reference recorded, {_days(days)} after the search.\n\n"
                f"Record the referral reference: {link}\n\n"
                "This reminder is sent every day until the reference is recorded."
            ),
        )


def _days(days: int) -> str:
    return "day of the search" if days == 0 else f"{days} day{'s' if days != 1 else ''}"
