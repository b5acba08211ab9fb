from datetime import date
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail

from core.reminders import Reminder
from notifications.models import Delivery, DeliveryStatus
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


def _send(reminder: Reminder, capture) -> list[Delivery]:
    with capture(execute=True):
        return send_reminder(reminder)


def test_reminder_is_recorded_as_a_delivery_and_sent(django_capture_on_commit_callbacks):
    (delivery,) = _send(REMINDER, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["manager@example.org"]]
    delivery.refresh_from_db()
    assert (delivery.kind, delivery.object_key, delivery.due_on) == ("example", "posting:1", date(2026, 9, 1))
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert delivery.body == REMINDER.body


def test_reminder_is_sent_only_once_per_due_date(django_capture_on_commit_callbacks):
    _send(REMINDER, django_capture_on_commit_callbacks)
    _send(REMINDER, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert Delivery.objects.count() == 1


def test_the_same_reminder_due_on_another_day_is_sent_again(django_capture_on_commit_callbacks):
    from dataclasses import replace

    _send(REMINDER, django_capture_on_commit_callbacks)
    _send(replace(REMINDER, due_on=date(2026, 9, 2)), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_each_recipient_gets_a_delivery_and_an_e_mail_of_their_own(django_capture_on_commit_callbacks):
    from dataclasses import replace

    _send(replace(REMINDER, recipients=("b@example.org", "a@example.org")), django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert sorted(Delivery.objects.values_list("recipient", flat=True)) == ["a@example.org", "b@example.org"]


def test_a_reminder_whose_sending_failed_is_sent_when_it_is_due_again(django_capture_on_commit_callbacks, monkeypatch):
    from notifications import sending

    real_send_mail = sending.send_mail
    monkeypatch.setattr("notifications.sending.send_mail", _raise(SMTPServerDisconnected("connection lost")))
    _send(REMINDER, django_capture_on_commit_callbacks)  # the failure is recorded, never raised to the caller
    assert Delivery.objects.get().status == DeliveryStatus.FAILED

    monkeypatch.setattr("notifications.sending.send_mail", real_send_mail)
    _send(REMINDER, django_capture_on_commit_callbacks)  # the next daily dispatch lists it again
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def _raise(error: Exception):
    def send_mail(*args, **kwargs):
        raise error

    return send_mail
