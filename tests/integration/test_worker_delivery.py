"""A real worker on a real Redis broker delivers each reminder exactly once."""

import datetime
import time

import pytest

from reminders.models import SentReminder
from reminders.tasks import dispatch_due_reminders, send_one_reminder
from tests.factories.schools import DSLContactFactory

from .conftest import VISIBILITY_TIMEOUT_SECONDS, kill_worker, sent_messages, wait_until

pytestmark = [pytest.mark.integration]

DUE = datetime.date(2026, 9, 1)
QUIET_SECONDS = 3 * VISIBILITY_TIMEOUT_SECONDS


def _due_contact():
    return DSLContactFactory(last_confirmed_on=DUE.replace(year=DUE.year - 1))


def _send_task_args(contact) -> tuple:
    return ("dsl-reconfirm", f"dslcontact:{contact.pk}", DUE.isoformat(), contact.email)


def _assert_delivered_once(mail_dir, contact) -> None:
    wait_until(lambda: len(sent_messages(mail_dir)) >= 1, timeout=60, what="the reminder e-mail")
    time.sleep(QUIET_SECONDS)  # long enough for any redelivery to have happened
    messages = sent_messages(mail_dir)
    assert len(messages) == 1
    assert contact.email in messages[0]
    assert SentReminder.objects.filter(kind="dsl-reconfirm", object_key=f"dslcontact:{contact.pk}").count() == 1


def test_daily_dispatch_through_a_worker_delivers_the_reminder_once(start_worker, mail_dir):
    contact = _due_contact()
    start_worker()
    dispatch_due_reminders.delay(on=DUE.isoformat())
    dispatch_due_reminders.delay(on=DUE.isoformat())
    _assert_delivered_once(mail_dir, contact)


def test_the_same_send_task_delivered_twice_sends_once(start_worker, mail_dir):
    contact = _due_contact()
    start_worker()
    send_one_reminder.delay(*_send_task_args(contact))
    send_one_reminder.delay(*_send_task_args(contact))
    _assert_delivered_once(mail_dir, contact)


def test_worker_killed_mid_send_is_redelivered_and_sends_once(start_worker, mail_dir, tmp_path):
    contact = _due_contact()
    first = start_worker(pool="solo", email_backend="tests.integration.slow_mail.StallFirstSendBackend")
    send_one_reminder.delay(*_send_task_args(contact))
    wait_until((tmp_path / "send-started").exists, timeout=60, what="the first worker to start sending")
    kill_worker(first)
    assert sent_messages(mail_dir) == []
    assert not SentReminder.objects.exists()  # the killed transaction was rolled back

    start_worker(pool="solo", email_backend="tests.integration.slow_mail.StallFirstSendBackend")
    _assert_delivered_once(mail_dir, contact)
