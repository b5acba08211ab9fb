"""A real worker on a real Redis broker delivers each reminder exactly once, wherever it is killed:
nothing is lost, and a copy is sent twice only when the worker died after the mail server had
accepted it, with the same Message-ID both times."""

import datetime
import re
import time

import pytest

from notifications.models import Delivery, DeliveryStatus
from notifications.services import record_deliveries
from notifications.tasks import send_delivery
from reminders.tasks import dispatch_due_reminders
from tests.factories.schools import DSLContactFactory

from .conftest import VISIBILITY_TIMEOUT_SECONDS, kill_worker, sent_messages, sweep_until, wait_until

pytestmark = [pytest.mark.integration]

DUE = datetime.date(2026, 9, 1)
QUIET_SECONDS = 3 * VISIBILITY_TIMEOUT_SECONDS
MESSAGE_ID = re.compile(r"^Message-ID: (\S+)$", re.M)


def _due_contact():
    return DSLContactFactory(last_confirmed_on=DUE.replace(year=DUE.year - 1))


def _recorded_reminder(contact) -> Delivery:
    """The contact's reminder recorded as the daily dispatch records it, not yet sent."""
    (delivery,) = record_deliveries(
        kind="dsl-reconfirm",
        object_key=f"dslcontact:{contact.pk}",
        due_on=DUE,
        recipients=[contact.email],
        subject="Please confirm your details",
        body="Confirm them here: https://portal.example/portal/contact-details/",
    )
    return delivery


def _delivery_of(contact) -> Delivery:
    return Delivery.objects.get(kind="dsl-reconfirm", object_key=f"dslcontact:{contact.pk}")


def _assert_delivered_once(mail_dir, contact) -> Delivery:
    wait_until(lambda: len(sent_messages(mail_dir)) >= 1, timeout=60, what="the reminder e-mail")
    time.sleep(QUIET_SECONDS)  # long enough for any redelivery to have happened
    messages = sent_messages(mail_dir)
    assert len(messages) == 1
    assert contact.email in messages[0]
    delivery = _delivery_of(contact)
    assert delivery.status == DeliveryStatus.SENT
    return delivery


def test_daily_dispatch_through_a_worker_delivers_the_reminder_once(start_worker, mail_dir):
    contact = _due_contact()
    start_worker()
    dispatch_due_reminders.delay(on=DUE.isoformat())
    dispatch_due_reminders.delay(on=DUE.isoformat())
    _assert_delivered_once(mail_dir, contact)


def test_the_same_send_task_delivered_twice_sends_once(start_worker, mail_dir):
    contact = _due_contact()
    delivery = _recorded_reminder(contact)
    start_worker()
    send_delivery.delay(delivery.pk)
    send_delivery.delay(delivery.pk)
    _assert_delivered_once(mail_dir, contact)


def _message_ids(mail_dir) -> list[str]:
    return [MESSAGE_ID.search(message).group(1) for message in sent_messages(mail_dir)]


def _kill_at_the_stall(worker, tmp_path) -> None:
    wait_until((tmp_path / "send-started").exists, timeout=60, what="the worker to reach the kill point")
    kill_worker(worker)


def test_worker_killed_before_it_starts_the_send_is_redelivered_and_sends_once(start_worker, mail_dir, tmp_path):
    contact = _due_contact()
    delivery = _recorded_reminder(contact)
    first = start_worker(pool="solo", extra_env={"KILL_POINT": "before"})
    send_delivery.delay(delivery.pk)
    _kill_at_the_stall(first, tmp_path)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)

    start_worker(pool="solo")  # the broker hands the unacknowledged task to it
    delivery = _assert_delivered_once(mail_dir, contact)
    assert delivery.attempts == 1
    assert _message_ids(mail_dir) == [delivery.message_id]


def test_worker_killed_while_sending_leaves_it_sending_and_the_sweep_sends_it_once(start_worker, mail_dir, tmp_path):
    contact = _due_contact()
    delivery = _recorded_reminder(contact)
    first = start_worker(pool="solo", email_backend="tests.integration.slow_mail.StallFirstSendBackend")
    send_delivery.delay(delivery.pk)
    _kill_at_the_stall(first, tmp_path)
    assert sent_messages(mail_dir) == []
    # "Sending" and the attempt were committed before the mail server was called; no outcome was.
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENDING, 1, None)

    start_worker(pool="solo")
    sweep_until(lambda: len(sent_messages(mail_dir)) >= 1, timeout=60, what="the sweep to send the stale row")
    delivery = _assert_delivered_once(mail_dir, contact)
    assert delivery.attempts == 2
    assert _message_ids(mail_dir) == [delivery.message_id]


def test_worker_killed_after_the_mail_server_accepted_sends_a_copy_with_the_same_message_id(
    start_worker, mail_dir, tmp_path
):
    contact = _due_contact()
    delivery = _recorded_reminder(contact)
    first = start_worker(pool="solo", email_backend="tests.integration.slow_mail.StallAfterFirstSendBackend")
    send_delivery.delay(delivery.pk)
    _kill_at_the_stall(first, tmp_path)
    assert len(sent_messages(mail_dir)) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING  # nobody can tell it went

    start_worker(pool="solo")
    sweep_until(lambda: len(sent_messages(mail_dir)) >= 2, timeout=60, what="the sweep to resend the stale row")
    time.sleep(QUIET_SECONDS)
    # The one duplicate the design allows, recognisable as one message.
    assert _message_ids(mail_dir) == [delivery.message_id, delivery.message_id]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_worker_killed_after_recording_sent_is_redelivered_and_sends_nothing_more(start_worker, mail_dir, tmp_path):
    contact = _due_contact()
    delivery = _recorded_reminder(contact)
    first = start_worker(pool="solo", extra_env={"KILL_POINT": "after"})
    send_delivery.delay(delivery.pk)
    _kill_at_the_stall(first, tmp_path)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT

    start_worker(pool="solo")  # the task, never acknowledged, is run again and finds it sent
    delivery = _assert_delivered_once(mail_dir, contact)
    assert delivery.attempts == 1
