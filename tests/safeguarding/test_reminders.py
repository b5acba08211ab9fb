import datetime
import zoneinfo

import pytest
from django.core import mail

from core.reminders import REMINDER_KINDS
from notifications.models import Delivery, DeliveryStatus
from reminders.tasks import dispatch_due_reminders
from safeguarding.models import ConcernStatus
from safeguarding.reminders import add_school_days, concern_no_action, is_school_day
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.schools import DSLContactFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2026, 11, 2)


def _logged_on(day: datetime.date, **kwargs):
    return ConcernFactory(created_at=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=LONDON), **kwargs)


def test_the_kind_is_registered():
    assert REMINDER_KINDS["concern-no-action"] is concern_no_action


def test_weekends_and_bank_holidays_are_not_school_days():
    assert is_school_day(MONDAY)
    assert not is_school_day(datetime.date(2026, 11, 7))  # Saturday
    assert not is_school_day(datetime.date(2026, 12, 28))  # Boxing Day (substitute Monday)
    assert not is_school_day(datetime.date(2026, 8, 31))  # Summer bank holiday (England and Wales)


def test_five_school_days_skip_christmas_bank_holidays():
    # Thu 24, Tue 29, Wed 30, Thu 31 Dec, then New Year's Day is a holiday: Mon 4 Jan.
    assert add_school_days(datetime.date(2026, 12, 23), 5) == datetime.date(2027, 1, 4)


@pytest.mark.django_db
def test_not_due_on_the_fourth_school_day():
    DSLContactFactory(school=_logged_on(MONDAY).school)
    assert list(concern_no_action(datetime.date(2026, 11, 6))) == []


@pytest.mark.django_db
def test_due_on_the_fifth_school_day_to_current_dsls_with_id_and_link_only():
    concern = _logged_on(MONDAY, description="Sensitive words", pupil_reference="REF-SECRET")
    DSLContactFactory(school=concern.school, email="lead@school.invalid")
    DSLContactFactory(school=concern.school, email="former@school.invalid", is_current=False, role="deputy")
    (reminder,) = concern_no_action(datetime.date(2026, 11, 9))
    assert reminder.object_key == f"concern:{concern.pk}"
    assert reminder.due_on == datetime.date(2026, 11, 9)
    assert reminder.recipients == ("lead@school.invalid",)
    assert f"/portal/concerns/{concern.pk}/" in reminder.body
    for secret in ("Sensitive words", "REF-SECRET", concern.school.name):
        assert secret not in reminder.body + reminder.subject


@pytest.mark.django_db
def test_a_later_action_restarts_the_count():
    concern = _logged_on(MONDAY)
    DSLContactFactory(school=concern.school)
    ConcernActionFactory(concern=concern, taken_on=datetime.date(2026, 11, 4))
    assert list(concern_no_action(datetime.date(2026, 11, 10))) == []
    (reminder,) = concern_no_action(datetime.date(2026, 11, 11))
    assert reminder.due_on == datetime.date(2026, 11, 11)


@pytest.mark.django_db
def test_closed_and_referred_concerns_are_not_chased():
    for status, outcome in [(ConcernStatus.CLOSED, "other"), (ConcernStatus.REFERRED, "")]:
        DSLContactFactory(school=_logged_on(MONDAY, status=status, outcome=outcome).school)
    assert list(concern_no_action(datetime.date(2026, 11, 20))) == []


@pytest.mark.django_db
def test_the_logging_day_is_the_london_date():
    # 23:30 UTC on Mon 1 Jun is 00:30 on Tue 2 Jun in London (BST): the count starts on the Tuesday.
    concern = ConcernFactory(created_at=datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC))
    DSLContactFactory(school=concern.school)
    assert list(concern_no_action(datetime.date(2026, 6, 8))) == []
    assert len(list(concern_no_action(datetime.date(2026, 6, 9)))) == 1


@pytest.mark.django_db(transaction=True)
def test_dispatch_sends_the_reminder_once_however_often_it_runs():
    DSLContactFactory(school=_logged_on(MONDAY).school, email="lead@school.invalid")
    dispatch_due_reminders(on="2026-11-09")
    dispatch_due_reminders(on="2026-11-10")
    # Other reminder kinds may also fire for the factory data: look at this kind's mail only.
    sent = [message for message in mail.outbox if message.subject.startswith("Safeguarding concern")]
    assert [message.to for message in sent] == [["lead@school.invalid"]]
    delivery = Delivery.objects.get(kind="concern-no-action", status=DeliveryStatus.SENT)
    assert delivery.due_on == datetime.date(2026, 11, 9)


@pytest.mark.django_db
def test_asked_for_one_concern_the_kind_yields_only_that_one():
    wanted, other = _logged_on(MONDAY), _logged_on(MONDAY)
    for concern in (wanted, other):
        DSLContactFactory(school=concern.school)
    reminders = list(concern_no_action(datetime.date(2026, 11, 9), object_key=f"concern:{wanted.pk}"))
    assert [reminder.object_key for reminder in reminders] == [f"concern:{wanted.pk}"]
