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


FOLLOW_UP_KIND = "search-follow-up-due"
REVIEW_KIND = "search-review-due"
# A supervisor's review is expected within this many days of the search; then chased daily.
REVIEW_WITHIN_DAYS = 7


@reminder_kind(FOLLOW_UP_KIND)
def follow_ups_due(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    """Every day from its due date until done: a child's trauma-informed follow-up after a search
    beyond outer clothing. To the officer who searched (when their login has an e-mail address)
    and the managers of the search's BCU."""
    managers = bcu_manager_addresses()
    due = SearchRecord.objects.follow_up_due().filter(follow_up_due_on__lte=on).order_by("pk")
    if object_key is not None:
        due = due.filter(pk=object_id(object_key, "search"))
    rows = due.values_list("pk", "bcu_id", "follow_up_due_on", "officer__user__email")
    for search_id, bcu_id, due_on, officer_email in rows:
        recipients = tuple(sorted({*managers.for_bcu(bcu_id), *([officer_email] if officer_email else [])}))
        if not recipients:
            continue
        late = (on - due_on).days
        yield Reminder(
            kind=FOLLOW_UP_KIND,
            object_key=f"search:{search_id}",
            due_on=on,
            recipients=recipients,
            subject=f"Trauma-informed follow-up {'due today' if late == 0 else f'overdue ({_days(late)})'}: "
            f"search record {search_id}",
            body=(
                f"The trauma-informed follow-up of search record {search_id} (a child searched beyond outer "
                f"clothing) was due on {due_on:%d %b %Y} and is not recorded as done.\n\n"
                f"Record what was offered and the outcome: {portal_url('searches:my-search', search_id)} "
                f"(the officer) or {portal_url('admin:searches_searchrecord_change', search_id)} (managers)\n\n"
                "This reminder is sent every day until the follow-up is recorded as done."
            ),
        )


@reminder_kind(REVIEW_KIND)
def reviews_due(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    """Every day from a week after the search until an Inspector or above has reviewed it: each
    search of a child beyond outer clothing. To the managers of the search's BCU."""
    managers = bcu_manager_addresses()
    if not managers.everyone:
        return
    zone = timezone.get_current_timezone()
    latest = datetime.datetime.combine(on - datetime.timedelta(days=REVIEW_WITHIN_DAYS - 1), datetime.time.min, zone)
    due = SearchRecord.objects.review_due().filter(searched_at__lt=latest).order_by("pk")
    if object_key is not None:
        due = due.filter(pk=object_id(object_key, "search"))
    for search_id, searched_at, bcu_id in due.values_list("pk", "searched_at", "bcu_id"):
        days = (on - searched_at.astimezone(zone).date()).days
        yield Reminder(
            kind=REVIEW_KIND,
            object_key=f"search:{search_id}",
            due_on=on,
            recipients=managers.for_bcu(bcu_id),
            subject=f"Supervisor review outstanding ({_days(days)}): search record {search_id}",
            body=(
                f"Search record {search_id}, a child searched beyond outer clothing {_days(days)} ago, has not "
                "been reviewed by an Inspector or above.\n\n"
                f"Record the review: {portal_url('admin:searches_searchrecord_change', search_id)}\n\n"
                "This reminder is sent every day until the review is recorded."
            ),
        )
