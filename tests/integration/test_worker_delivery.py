"""A real worker on a real Redis broker delivers each reminder exactly once."""

import datetime
import time

import pytest

from notifications.models import Delivery, DeliveryStatus
from notifications.services import record_deliveries
from notifications.tasks import send_delivery
from reminders.tasks import dispatch_due_reminders
from tests.factories.schools import DSLContactFactory

from .conftest import VISIBILITY_TIMEOUT_SECONDS, kill_worker, sent_messages, wait_until

pytestmark = [pytest.mark.integration]

DUE = datetime.date(2026, 9, 1)
QUIET_SECONDS = 3 * VISIBILITY_TIMEOUT_SECONDS


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


def test_worker_killed_mid_send_is_redelivered_and_sends_once(start_worker, mail_dir, tmp_path):
    contact = _due_contact()
    delivery = _recorded_reminder(contact)
    first = start_worker(pool="solo", email_backend="tests.integration.slow_mail.StallFirstSendBackend")
    send_delivery.delay(delivery.pk)
    wait_until((tmp_path / "send-started").exists, timeout=60, what="the first worker to start sending")
    kill_worker(first)
    assert sent_messages(mail_dir) == []
    # The attempt was recorded before sending; the killed transaction recorded no outcome.
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.PENDING, 1, None)

    start_worker(pool="solo", email_backend="tests.integration.slow_mail.StallFirstSendBackend")
    delivery = _assert_delivered_once(mail_dir, contact)
    assert delivery.attempts == 2
