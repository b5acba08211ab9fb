from datetime import date

import pytest
from django.core import mail

from reminders.models import SentReminder
from reminders.registry import REMINDER_KINDS, Reminder
from reminders.tasks import dispatch_due_reminders
from ssoportal.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def eager_celery(monkeypatch):
    # Unit tests run tasks in-process even when a Redis broker is configured.
    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def example_kind():
    def due(on: date):
        yield Reminder("test-example", "posting:1", on, ("a@example.org",), "Review due", "See posting 1")

    REMINDER_KINDS["test-example"] = due
    yield
    del REMINDER_KINDS["test-example"]


def test_dispatching_twice_sends_each_reminder_once(example_kind):
    dispatch_due_reminders(on="2026-09-01")
    dispatch_due_reminders(on="2026-09-01")
    assert len(mail.outbox) == 1
    assert SentReminder.objects.filter(kind="test-example").count() == 1


def test_dispatch_sends_the_registered_dsl_reconfirm_kind_once():
    from tests.factories.schools import DSLContactFactory

    contact = DSLContactFactory(last_confirmed_on=date(2025, 9, 1))
    dispatch_due_reminders(on="2026-09-01")
    dispatch_due_reminders(on="2026-09-02")
    assert [message.to for message in mail.outbox] == [[contact.email]]


def test_dispatch_without_a_date_uses_the_london_date(example_kind, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 3, 29))
    dispatch_due_reminders()
    assert SentReminder.objects.get(kind="test-example").due_on == date(2026, 3, 29)
