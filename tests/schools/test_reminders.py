import datetime

import pytest
from django.utils import timezone

from schools.models import DSLContact
from schools.reminders import dsl_contacts_to_reconfirm
from tests.factories.schools import DSLContactFactory

pytestmark = pytest.mark.django_db


def _due(on: datetime.date) -> dict[str, datetime.date]:
    return {reminder.object_key: reminder.due_on for reminder in dsl_contacts_to_reconfirm(on)}


def test_contact_confirmed_twelve_months_ago_is_due_that_day_to_their_own_address():
    contact = DSLContactFactory(last_confirmed_on=datetime.date(2025, 11, 25))
    [reminder] = dsl_contacts_to_reconfirm(datetime.date(2026, 11, 25))
    assert (reminder.object_key, reminder.due_on) == (f"dslcontact:{contact.pk}", datetime.date(2026, 11, 25))
    assert reminder.recipients == (contact.email,)


def test_contact_confirmed_a_day_less_than_twelve_months_ago_is_not_due():
    DSLContactFactory(last_confirmed_on=datetime.date(2025, 11, 26))
    assert _due(datetime.date(2026, 11, 25)) == {}


def test_leap_day_confirmation_falls_due_on_28_february():
    contact = DSLContactFactory(last_confirmed_on=datetime.date(2024, 2, 29))
    assert _due(datetime.date(2025, 2, 27)) == {}
    assert _due(datetime.date(2025, 2, 28)) == {f"dslcontact:{contact.pk}": datetime.date(2025, 2, 28)}


def test_overdue_contact_keeps_the_same_due_date_so_it_is_sent_once():
    contact = DSLContactFactory(last_confirmed_on=datetime.date(2025, 1, 10))
    key = f"dslcontact:{contact.pk}"
    assert _due(datetime.date(2026, 1, 10))[key] == _due(datetime.date(2026, 3, 1))[key] == datetime.date(2026, 1, 10)


def test_never_confirmed_contact_is_due_from_the_day_it_was_recorded():
    contact = DSLContactFactory(last_confirmed_on=None)
    recorded = timezone.localdate(contact.created_at)
    assert _due(recorded) == {f"dslcontact:{contact.pk}": recorded}


def test_former_contacts_are_not_reminded():
    DSLContactFactory(last_confirmed_on=datetime.date(2020, 1, 1), is_current=False)
    assert _due(datetime.date(2026, 11, 25)) == {}


def test_body_carries_ids_and_a_link_only():
    contact = DSLContactFactory(last_confirmed_on=datetime.date(2020, 1, 1))
    [reminder] = dsl_contacts_to_reconfirm(datetime.date(2026, 11, 25))
    assert contact.name not in reminder.body
    assert DSLContact.objects.get().school.name not in reminder.body
    assert f"contact {contact.pk}" in reminder.body


def test_body_links_to_the_portal_page_where_the_contact_confirms_their_details():
    DSLContactFactory(last_confirmed_on=datetime.date(2020, 1, 1))
    [reminder] = dsl_contacts_to_reconfirm(datetime.date(2026, 11, 25))
    assert "/portal/contact-details/" in reminder.body


def test_asked_for_one_contact_the_kind_yields_only_that_one():
    wanted, _other = DSLContactFactory.create_batch(2, last_confirmed_on=datetime.date(2020, 1, 1))
    reminders = list(dsl_contacts_to_reconfirm(datetime.date(2026, 11, 25), object_key=f"dslcontact:{wanted.pk}"))
    assert [reminder.object_key for reminder in reminders] == [f"dslcontact:{wanted.pk}"]
