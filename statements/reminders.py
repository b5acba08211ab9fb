"""Reminder kind "statement-review": a school's child safeguarding statement is reviewed every year.

The statement in force (the latest signed version) falls due a year after it was signed
(``review_due_on``); the reminder goes to the school's current DSL contacts and head teachers,
once per due date (the delivery records make it exactly once however often the day is
dispatched). Signing a new version moves the due date a year on, and the reminders stop.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from core.links import portal_url
from core.reminders import Reminder, object_id, reminder_kind
from schools.models import DSLContact, SchoolStaff, StaffRole

from .models import SafeguardingStatement


def review_recipients(school_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """The addresses of each school's current DSL contacts and head teachers (two queries)."""
    addresses: dict[int, set[str]] = {school_id: set() for school_id in school_ids}
    contacts = DSLContact.objects.filter(school_id__in=school_ids, is_current=True).exclude(email="")
    for school_id, email in contacts.values_list("school_id", "email"):
        addresses[school_id].add(email)
    heads = SchoolStaff.objects.current().filter(
        school_id__in=school_ids, role=StaffRole.HEAD_TEACHER, user__is_active=True
    )
    for school_id, email in heads.exclude(user__email="").values_list("school_id", "user__email"):
        addresses[school_id].add(email)
    return {school_id: tuple(sorted(emails)) for school_id, emails in addresses.items()}


@reminder_kind("statement-review")
def statements_to_review(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    statements = SafeguardingStatement.objects.due_for_review(on)
    if object_key is not None:
        statements = statements.filter(pk=object_id(object_key, "statement"))
    statements = list(statements.order_by("pk").only("pk", "school_id", "version", "review_due_on"))
    recipients = review_recipients({statement.school_id for statement in statements})
    for statement in statements:
        if not recipients[statement.school_id]:
            continue
        yield Reminder(
            kind="statement-review",
            object_key=f"statement:{statement.pk}",
            due_on=statement.review_due_on,
            recipients=recipients[statement.school_id],
            subject="Your child safeguarding statement is due for its yearly review",
            body=(
                f"The child safeguarding statement of school id {statement.school_id} (version {statement.version}) "
                f"was due for review on {statement.review_due_on:%-d %b %Y}.\n\n"
                "The DSL reviews it and drafts any changes; the head teacher signs the new version off: "
                f"{portal_url('statements:overview')}\n"
            ),
        )
