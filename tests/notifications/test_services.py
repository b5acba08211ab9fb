import datetime
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPServerDisconnected
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail

from notifications.models import Delivery, DeliveryStatus
from notifications.sending import send_delivery
from notifications.services import deliver, record_deliveries
from notifications.tasks import send_delivery as send_delivery_task
from tests.factories.notifications import DeliveryFactory, FailedDeliveryFactory, SentDeliveryFactory

pytestmark = pytest.mark.django_db

NOTICE = {
    "kind": "example",
    "object_key": "posting:4",
    "due_on": datetime.date(2026, 12, 6),
    "subject": "Posting 4",
    "body": "See https://portal.example/admin/officers/posting/4/change/",
}


class WorkerDied(BaseException):
    """Stands for a SIGKILL: nothing in the process catches it, the transaction is rolled back."""


def test_recording_creates_one_pending_delivery_per_recipient():
    deliveries = record_deliveries(recipients=["b@example.org", "a@example.org", "a@example.org"], **NOTICE)
    assert [(d.recipient, d.status, d.attempts) for d in deliveries] == [
        ("a@example.org", DeliveryStatus.PENDING, 0),
        ("b@example.org", DeliveryStatus.PENDING, 0),
    ]
    assert mail.outbox == []


def test_recording_the_same_e_mail_again_finds_the_delivery_already_recorded():
    (first,) = record_deliveries(recipients=["a@example.org"], **NOTICE)
    (again,) = record_deliveries(recipients=["a@example.org"], **NOTICE)
    assert again.pk == first.pk
    assert Delivery.objects.count() == 1


def test_deliver_sends_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        deliver(recipients=["a@example.org"], **NOTICE)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_deliver_does_not_enqueue_a_delivery_already_sent(django_capture_on_commit_callbacks):
    SentDeliveryFactory(recipient="a@example.org", **NOTICE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        deliver(recipients=["a@example.org"], **NOTICE)
    assert callbacks == []


def test_deliver_is_due_today_in_london_unless_told(django_capture_on_commit_callbacks):
    notice = NOTICE | {"due_on": None}
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 3, 29)):
        (delivery,) = deliver(recipients=["a@example.org"], **notice)
    assert delivery.due_on == datetime.date(2026, 3, 29)


def test_the_attempt_is_recorded_as_sending_before_the_e_mail_is_sent():
    delivery = DeliveryFactory()
    seen = []

    def send_mail(*args, **kwargs):
        seen.append(Delivery.objects.values_list("status", "attempts").get(pk=delivery.pk))

    with mock.patch("notifications.sending.send_mail", send_mail):
        send_delivery(delivery.pk)
    assert seen == [(DeliveryStatus.SENDING, 1)]


def test_a_sent_delivery_records_when_it_was_sent():
    delivery = DeliveryFactory()
    assert send_delivery(delivery.pk) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 1, "")
    assert delivery.sent_at is not None and delivery.sent_at >= delivery.last_attempt_at
    (message,) = mail.outbox
    assert (message.to, message.subject, message.body) == ([delivery.recipient], delivery.subject, delivery.body)


def test_a_delivery_already_sent_is_not_sent_again():
    delivery = SentDeliveryFactory()
    assert send_delivery(delivery.pk) is False
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_failed_attempt_records_the_attempts_and_the_error():
    delivery = DeliveryFactory()
    refused = SMTPRecipientsRefused({delivery.recipient: (550, b"mailbox unavailable")})
    with mock.patch("notifications.sending.send_mail", side_effect=refused), pytest.raises(SMTPRecipientsRefused):
        send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.FAILED, 1, None)
    assert delivery.last_error.startswith("SMTPRecipientsRefused: ")
    assert delivery.last_attempt_at is not None


def test_a_long_error_is_cut_to_fit_the_record():
    delivery = DeliveryFactory()
    with (
        mock.patch("notifications.sending.send_mail", side_effect=SMTPServerDisconnected("x" * 2000)),
        pytest.raises(SMTPServerDisconnected),
    ):
        send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert len(delivery.last_error) == 500


def test_a_retry_after_a_failure_sends_it_and_clears_the_error():
    delivery = FailedDeliveryFactory(attempts=2)
    assert send_delivery(delivery.pk) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, "")


def test_the_task_retries_a_mail_error_with_the_error_recorded():
    delivery = DeliveryFactory()
    with (
        mock.patch("notifications.sending.send_mail", side_effect=SMTPServerDisconnected("connection lost")),
        pytest.raises(Retry),
    ):
        send_delivery_task.apply(args=(delivery.pk,))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.last_error == "SMTPServerDisconnected: connection lost"


def test_the_task_keeps_the_retry_policy_of_the_e_mails_it_replaced():
    assert send_delivery_task.acks_late is True
    assert set(send_delivery_task.autoretry_for) >= {SMTPException, OSError}
    assert (send_delivery_task.retry_backoff, send_delivery_task.retry_backoff_max) == (True, 600)
    assert send_delivery_task.max_retries == 8


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_dies_mid_send_leaves_it_sending_and_once_stale_it_is_sent(settings):
    delivery = DeliveryFactory()
    with mock.patch("notifications.sending.send_mail", side_effect=WorkerDied), pytest.raises(WorkerDied):
        send_delivery(delivery.pk)
    delivery.refresh_from_db()
    # The attempt was committed before sending; the outcome never was.
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENDING, 1, None)
    # Nobody can tell yet whether another sender is still on it: nothing is sent.
    assert send_delivery(delivery.pk) is False

    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 0
    assert send_delivery(delivery.pk) is True  # the sweep, once the row is stale
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_kind_with_a_body_renderer_sends_the_body_it_makes_not_the_recorded_one(monkeypatch):
    from notifications import renderers

    monkeypatch.setitem(renderers.BODY_RENDERERS, "test-rendered", lambda delivery: "made at send time")
    (delivery,) = record_deliveries(
        kind="test-rendered",
        object_key="x:1",
        due_on=datetime.date(2026, 12, 6),
        recipients=["a@x.invalid"],
        subject="S",
        body="recorded",
    )
    assert send_delivery(delivery.pk) is True
    assert mail.outbox[0].body == "made at send time"


def test_a_renderer_that_makes_nothing_cancels_the_delivery_for_good(monkeypatch):
    from notifications import renderers

    monkeypatch.setitem(renderers.BODY_RENDERERS, "test-rendered", lambda delivery: None)
    (delivery,) = record_deliveries(
        kind="test-rendered",
        object_key="x:1",
        due_on=datetime.date(2026, 12, 6),
        recipients=["a@x.invalid"],
        subject="S",
        body="recorded",
    )
    assert send_delivery(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.attempts == 0  # nothing was tried: it was no longer wanted
    assert mail.outbox == []
    assert send_delivery(delivery.pk) is False
