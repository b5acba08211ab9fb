"""The workspace's reminders: the kind "youth-service-no-contact", and the objectives added to
the officers app's "posting-review" e-mail.

Reminder kind "youth-service-no-contact": a youth service in a relationship (established or
developing) with no contact logged for ``YOUTH_SERVICE_CONTACT_MONTHS`` months.

It goes to the SSOs currently posted to the schools of the service's ward and to the managers
of those schools' BCUs (every BCU manager while a BCU has none assigned), once per due date:
the day the months since the last contact (or since the entry was made) run out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from access.roles import bcu_manager_addresses
from core.links import portal_url
from core.reminders import Reminder, object_id, reminder_addendum, reminder_kind
from officers.models import Posting

from .models import Objective, YouthService
from .selectors import objective_progress

KIND = "youth-service-no-contact"


@reminder_kind(KIND)
def youth_services_without_contact(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    months = settings.YOUTH_SERVICE_CONTACT_MONTHS
    due = YouthService.objects.contact_overdue(on, months).order_by("pk")
    if object_key is not None:
        due = due.filter(pk=object_id(object_key, "youthservice"))
    due = list(due.select_related("ward"))
    if not due:
        return
    wards = {service.ward_id for service in due}
    officers: dict[int, set[str]] = defaultdict(set)
    bcus: dict[int, set[int]] = defaultdict(set)
    postings = Posting.objects.covering(on).filter(school__ward_id__in=wards)
    for ward_id, email, bcu_id in postings.values_list("school__ward_id", "officer__user__email", "school__bcu_id"):
        if email:
            officers[ward_id].add(email)
        bcus[ward_id].add(bcu_id)
    managers = bcu_manager_addresses()
    for service in due:
        since = service.last_contact_on or timezone.localdate(service.created_at)
        recipients = set(officers[service.ward_id])
        for bcu_id in bcus[service.ward_id] or {None}:
            recipients.update(managers.for_bcu(bcu_id))
        if not recipients:
            continue
        yield Reminder(
            kind=KIND,
            object_key=f"youthservice:{service.pk}",
            due_on=since + relativedelta(months=months),
            recipients=tuple(sorted(recipients)),
            subject=f"No contact with a youth service for {months} months: {service.name}",
            body=(
                f"No contact with {service.name} ({service.ward.name}) has been logged since "
                f"{since:%d %b %Y}.\n\n"
                f"Log a youth service engagement when you next meet them, or update the entry: "
                f"{portal_url('workspace:youth-service-edit', service.pk)}\n"
            ),
        )


@reminder_addendum("posting-review")
def objectives_of_the_posting(object_key: str, on: datetime.date) -> str:
    """The posting's objectives and its progress against each, from the activity log (counts only)."""
    posting_id = object_id(object_key, "posting")
    objectives = list(Objective.objects.filter(posting_id=posting_id).select_related("posting", "category"))
    if not objectives:
        return ""
    lines = [
        f"- {p.objective.category.name}: {p.done} of {p.objective.target} "
        f"{p.objective.get_period_display().lower()} ({p.date_from:%d %b %Y} to {p.date_to:%d %b %Y})"
        for p in objective_progress(objectives=objectives, on=on)
    ]
    return "Objectives of the posting, from the officer's activity log:\n" + "\n".join(lines)
