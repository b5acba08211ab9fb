from datetime import date

import pytest
from django.core import mail

from core.reminders import REMINDER_KINDS, Reminder
from notifications.models import Delivery, DeliveryStatus
from reminders.tasks import dispatch_due_reminders

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def example_kind():
    def due(on: date, object_key: str | None = None):
        yield Reminder("test-example", "posting:1", on, ("a@example.org",), "Review due", "See posting 1")

    REMINDER_KINDS["test-example"] = due
    yield
    del REMINDER_KINDS["test-example"]


def test_dispatching_twice_sends_each_reminder_once(example_kind):
    dispatch_due_reminders(on="2026-09-01")
    dispatch_due_reminders(on="2026-09-01")
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(kind="test-example", status=DeliveryStatus.SENT).count() == 1


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
    assert Delivery.objects.get(kind="test-example").due_on == date(2026, 3, 29)


def test_mail_failure_is_recorded_and_retried_and_the_retry_sends_once(example_kind, monkeypatch):
    from smtplib import SMTPServerDisconnected

    from notifications import sending
    from notifications.tasks import send_delivery

    real_send_mail = sending.send_mail

    attempts = []

    def fails_the_first_time(*args, **kwargs):
        attempts.append(args)
        if len(attempts) == 1:
            raise SMTPServerDisconnected("connection lost")
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr("notifications.sending.send_mail", fails_the_first_time)
    dispatch_due_reminders(on="2026-09-01")  # the failure is recorded, not raised by the dispatch
    delivery = Delivery.objects.get(kind="test-example")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    # What the broker does after the backoff: run the same task again.
    send_delivery.apply(args=(delivery.pk,))
    send_delivery.apply(args=(delivery.pk,))
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_dispatch_enqueues_the_delivery_id_only(example_kind):
    from unittest import mock

    with mock.patch("notifications.tasks.send_delivery.apply_async") as apply_async:
        dispatch_due_reminders(on="2026-09-01")
    apply_async.assert_called_once_with((Delivery.objects.get(kind="test-example").pk,), retry=False)


def test_a_reminder_already_sent_is_not_enqueued_again(example_kind):
    from unittest import mock

    dispatch_due_reminders(on="2026-09-01")
    with mock.patch("notifications.tasks.send_delivery.apply_async") as delay:
        dispatch_due_reminders(on="2026-09-01")
    delay.assert_not_called()


def test_a_failing_kind_does_not_stop_the_other_kinds_and_the_dispatch_reports_it(example_kind):
    from reminders.tasks import ReminderKindsFailed

    def broken(on: date, object_key: str | None = None):
        raise RuntimeError("bug in a kind")
        yield  # pragma: no cover (a generator that fails when iterated)

    REMINDER_KINDS["test-broken"] = broken
    REMINDER_KINDS["test-example"] = REMINDER_KINDS.pop("test-example")  # runs after the broken one
    try:
        with pytest.raises(ReminderKindsFailed, match="test-broken"):
            dispatch_due_reminders(on="2026-09-01")
    finally:
        del REMINDER_KINDS["test-broken"]
    assert [message.to for message in mail.outbox] == [["a@example.org"]]


def test_send_task_asks_a_kind_that_can_look_one_up_for_that_object_only():
    asked = []

    def one_or_all(on: date, object_key: str | None = None):
        asked.append(object_key)
        yield Reminder("test-lookup", "posting:7", on, ("a@example.org",), "Review due", "See posting 7")

    REMINDER_KINDS["test-lookup"] = one_or_all
    try:
        from reminders.tasks import send_one_reminder

        assert send_one_reminder.apply(args=("test-lookup", "posting:7", "2026-09-01", "a@example.org")).get()
    finally:
        del REMINDER_KINDS["test-lookup"]
    assert asked == ["posting:7"]


def test_a_send_task_queued_before_deliveries_were_recorded_sends_through_the_delivery_path_once(example_kind):
    from reminders.tasks import send_one_reminder

    task_args = ("test-example", "posting:1", "2026-09-01", "a@example.org")
    send_one_reminder.apply(args=task_args)
    send_one_reminder.apply(args=task_args)
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    assert Delivery.objects.get(kind="test-example").status == DeliveryStatus.SENT


def test_object_id_reads_only_keys_of_the_given_prefix():
    from core.reminders import object_id

    assert object_id("posting:12", "posting") == 12
    assert object_id("dslcontact:12", "posting") is None
    assert object_id("posting:x", "posting") is None
