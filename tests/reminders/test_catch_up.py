"""The daily dispatch catches up the days it missed (beat or the workers down), once each."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from core.reminders import DAILY_KINDS, REMINDER_KINDS, Reminder
from notifications.models import Delivery
from reminders.models import DispatchRun
from reminders.services import days_to_dispatch, dispatch_reminders
from reminders.tasks import ReminderKindsFailed, dispatch_due_reminders

pytestmark = pytest.mark.django_db(transaction=True)  # the sends are queued on commit

D = datetime.date
TODAY = D(2026, 12, 10)


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture
def one_reminder_a_day():
    """A kind with one reminder falling due each day, about an object of that day."""

    def due(on, object_key=None):
        yield Reminder("test-daily-record", f"record:{on:%Y%m%d}", on, ("a@x.invalid",), f"Due {on}", "See it")

    REMINDER_KINDS["test-daily-record"] = due
    yield
    del REMINDER_KINDS["test-daily-record"]


@pytest.fixture
def only_test_kinds(monkeypatch):
    """The project's kinds left out, so that the tests count only their own reminders."""
    monkeypatch.setattr("reminders.services.REMINDER_KINDS", REMINDER_KINDS)
    for kind in [k for k in REMINDER_KINDS if not k.startswith("test-")]:
        monkeypatch.delitem(REMINDER_KINDS, kind)


def test_the_first_dispatch_ever_does_today_only():
    assert days_to_dispatch(today=TODAY) == [TODAY]


def test_after_three_missed_days_the_dispatch_does_each_of_them_and_today():
    DispatchRun.objects.create(day=D(2026, 12, 6))
    assert days_to_dispatch(today=TODAY) == _days(D(2026, 12, 7), TODAY)


def test_the_catch_up_goes_no_further_back_than_the_limit(settings):
    settings.REMINDER_CATCH_UP_DAYS = 5
    DispatchRun.objects.create(day=D(2026, 10, 1))
    assert days_to_dispatch(today=TODAY) == _days(D(2026, 12, 6), TODAY)


def test_a_second_run_the_same_day_does_that_day_again():
    DispatchRun.objects.create(day=TODAY)
    assert days_to_dispatch(today=TODAY) == [TODAY]


def test_each_missed_days_reminder_is_sent_exactly_once(one_reminder_a_day, only_test_kinds, monkeypatch):
    DispatchRun.objects.create(day=D(2026, 12, 6))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    dispatch_due_reminders()
    dispatch_due_reminders()  # beat restarted again, or a second worker: nothing more
    assert sorted(m.subject for m in mail.outbox) == [f"Due {day}" for day in _days(D(2026, 12, 7), TODAY)]
    assert sorted(Delivery.objects.values_list("due_on", flat=True)) == _days(D(2026, 12, 7), TODAY)
    assert list(DispatchRun.objects.order_by("day").values_list("day", flat=True)) == _days(D(2026, 12, 6), TODAY)


def test_a_day_a_kind_failed_on_is_not_complete_and_the_next_run_starts_from_it(one_reminder_a_day, only_test_kinds):
    def broken_on_the_8th(on, object_key=None):
        if on == D(2026, 12, 8):
            raise RuntimeError("database hiccup")
        return iter(())

    REMINDER_KINDS["test-broken"] = broken_on_the_8th
    try:
        DispatchRun.objects.create(day=D(2026, 12, 6))
        result = dispatch_reminders(days=_days(D(2026, 12, 7), TODAY))
    finally:
        del REMINDER_KINDS["test-broken"]
    assert result.failed == [(D(2026, 12, 8), "test-broken")]
    # The other kind's reminders of every day still went out.
    assert Delivery.objects.count() == 4
    assert days_to_dispatch(today=TODAY) == _days(D(2026, 12, 8), TODAY)


def test_a_daily_escalation_is_caught_up_with_its_latest_day_only(only_test_kinds):
    asked = []

    def escalation(on, object_key=None):
        asked.append(on)
        yield Reminder("test-escalation", "search:1", on, ("m@x.invalid",), f"Outstanding on {on}", "See it")

    REMINDER_KINDS["test-escalation"] = escalation
    DAILY_KINDS.add("test-escalation")
    try:
        dispatch_reminders(days=_days(D(2026, 12, 7), TODAY))
    finally:
        del REMINDER_KINDS["test-escalation"]
        DAILY_KINDS.discard("test-escalation")
    assert asked == [TODAY]
    assert [m.subject for m in mail.outbox] == [f"Outstanding on {TODAY}"]


def test_the_search_referral_escalation_is_a_daily_kind():
    assert "search-referral-outstanding" in DAILY_KINDS


def test_a_failing_catch_up_fails_the_task_naming_the_day_and_kind(only_test_kinds):
    def broken(on, object_key=None):
        raise RuntimeError("boom")

    REMINDER_KINDS["test-broken"] = broken
    try:
        with pytest.raises(ReminderKindsFailed, match="test-broken on 2026-12-10"):
            dispatch_due_reminders(on="2026-12-10")
    finally:
        del REMINDER_KINDS["test-broken"]


def test_the_command_replays_one_day(one_reminder_a_day, only_test_kinds):
    out = StringIO()
    call_command("dispatch_reminders", "--on", "2026-12-03", stdout=out)
    call_command("dispatch_reminders", "--on", "2026-12-03", stdout=StringIO())
    assert [m.subject for m in mail.outbox] == ["Due 2026-12-03"]
    assert "from 2026-12-03 to 2026-12-03: 1 due" in out.getvalue()


def test_the_command_replays_every_day_since_a_date(one_reminder_a_day, only_test_kinds, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    call_command("dispatch_reminders", "--since", "2026-12-08", stdout=StringIO())
    assert sorted(m.subject for m in mail.outbox) == ["Due 2026-12-08", "Due 2026-12-09", "Due 2026-12-10"]


def test_the_command_refuses_a_start_after_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    with pytest.raises(CommandError, match="after today"):
        call_command("dispatch_reminders", "--since", "2026-12-11")
