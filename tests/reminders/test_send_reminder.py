from datetime import date
from unittest import mock

import pytest
from django.core import mail

from core.reminders import Reminder
from reminders.models import SentReminder
from reminders.services import send_reminder

pytestmark = pytest.mark.django_db

REMINDER = Reminder(
    kind="example",
    object_key="posting:1",
    due_on=date(2026, 9, 1),
    recipients=("manager@example.org",),
    subject="Posting review due",
    body="Review https://portal.example/postings/1/",
)


def test_reminder_is_sent_and_recorded():
    assert send_reminder(REMINDER, "manager@example.org") is True
    assert len(mail.outbox) == 1
    assert SentReminder.objects.count() == 1


def test_reminder_is_sent_only_once_per_due_date():
    send_reminder(REMINDER, "manager@example.org")
    assert send_reminder(REMINDER, "manager@example.org") is False
    assert len(mail.outbox) == 1


def test_mail_failure_keeps_no_record_so_it_can_be_retried():
    with (
        mock.patch("reminders.services.send_mail", side_effect=OSError("SMTP down")),
        pytest.raises(OSError),
    ):
        send_reminder(REMINDER, "manager@example.org")
    assert SentReminder.objects.count() == 0
