"""Reminder kind "dsl-reconfirm": DSL contact details are re-confirmed every 12 months.

A current contact is due 12 months after ``last_confirmed_on`` (a 29 February confirmation
falls due on 28 February), or from the day it was recorded if never confirmed. The reminder
goes to the contact's own e-mail address, once per due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone

from core.links import portal_url
from core.reminders import Reminder, object_id, reminder_kind

from .models import RECONFIRM_EVERY, DSLContact


def reconfirmation_due_on(contact: DSLContact) -> datetime.date:
    if contact.last_confirmed_on is None:
        return timezone.localdate(contact.created_at)
    return contact.last_confirmed_on + RECONFIRM_EVERY


@reminder_kind("dsl-reconfirm")
def dsl_contacts_to_reconfirm(on: datetime.date, object_key: str | None = None) -> Iterator[Reminder]:
    contacts = DSLContact.objects.due_for_reconfirmation(on)
    if object_key is not None:
        contacts = contacts.filter(pk=object_id(object_key, "dslcontact"))
    contacts = contacts.order_by("pk").only("pk", "school_id", "email", "last_confirmed_on", "created_at")
    for contact in contacts:
        due_on = reconfirmation_due_on(contact)
        if due_on > on:  # recorded later today (London) than ``on``: not due yet
            continue
        yield Reminder(
            kind="dsl-reconfirm",
            object_key=f"dslcontact:{contact.pk}",
            due_on=due_on,
            recipients=(contact.email,),
            subject="Please re-confirm your safeguarding contact details",
            body=(
                f"The designated safeguarding contact details held for you (contact {contact.pk}, "
                f"school id {contact.school_id}) are due for their yearly re-confirmation.\n\n"
                f"Please confirm or correct them in the portal: {portal_url('safeguarding:contact-details')}\n"
                "(No portal login? Ask your Safer Schools team to update them.)\n"
            ),
        )
