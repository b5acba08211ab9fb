"""The outbox: a stable Message-ID, the sweep, sending again, and a broker that cannot take a task."""

import datetime
import logging
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import deliveries_to_sweep
from notifications.sending import send_delivery
from notifications.services import deliver, send_again
from notifications.tasks import enqueue_send, sweep_outbox
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
BROKER_DOWN = BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def test_each_delivery_gets_its_own_message_id_on_the_from_addresss_domain(settings):
    settings.DEFAULT_FROM_EMAIL = "SSO Portal <no-reply@portal.police.invalid>"
    first, second = deliver(recipients=["a@example.org", "b@example.org"], **NOTICE)
    assert first.message_id != second.message_id
    assert first.message_id.startswith("<") and first.message_id.endswith("@portal.police.invalid>")


def test_the_message_is_sent_with_the_deliverys_message_id():
    delivery = DeliveryFactory()
    send_delivery(delivery.pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == delivery.message_id
    assert mail.outbox[0].message()["Message-ID"] == delivery.message_id


def test_a_row_sent_again_after_going_stale_keeps_its_message_id(settings):
    delivery = DeliveryFactory(status=DeliveryStatus.SENDING, attempts=1, last_attempt_at=_ago(minutes=10))
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 300
    assert send_delivery(delivery.pk) is True
    assert mail.outbox[0].extra_headers["Message-ID"] == delivery.message_id
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_a_row_another_sender_is_sending_now_is_not_sent(settings):
    delivery = DeliveryFactory(status=DeliveryStatus.SENDING, attempts=1, last_attempt_at=_ago(seconds=20))
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 300
    assert send_delivery(delivery.pk) is False
    assert mail.outbox == []


def test_the_sweep_takes_rows_pending_past_the_grace_period_and_stale_sending_ones(settings):
    settings.NOTIFICATIONS_PENDING_GRACE_SECONDS = 60
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 300
    waiting = DeliveryFactory(created_at=_ago(minutes=2))
    stale = DeliveryFactory(status=DeliveryStatus.SENDING, attempts=1, last_attempt_at=_ago(minutes=6))
    DeliveryFactory(created_at=_ago(seconds=10))  # its own task is about to send it
    DeliveryFactory(status=DeliveryStatus.SENDING, attempts=1, last_attempt_at=_ago(minutes=1))  # being sent
    SentDeliveryFactory(created_at=_ago(days=1))
    FailedDeliveryFactory(created_at=_ago(days=1))  # the task's retries, or "send again", see to it
    assert deliveries_to_sweep() == [waiting.pk, stale.pk]


def test_a_pending_row_tried_a_moment_ago_is_left_to_that_attempt(settings):
    settings.NOTIFICATIONS_PENDING_GRACE_SECONDS = 60
    DeliveryFactory(created_at=_ago(hours=1), attempts=2, last_attempt_at=_ago(seconds=5))
    assert deliveries_to_sweep() == []


def test_the_sweep_task_sends_what_is_waiting(settings):
    settings.NOTIFICATIONS_PENDING_GRACE_SECONDS = 60
    delivery = DeliveryFactory(created_at=_ago(minutes=5))
    assert sweep_outbox.apply().get() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_a_broker_that_cannot_take_the_task_leaves_the_row_pending_and_logs_it_once(
    django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="notifications.tasks")
    with (
        mock.patch.object(send_delivery_task, "apply_async", side_effect=BROKER_DOWN),
        django_capture_on_commit_callbacks(execute=True),
    ):
        (delivery,) = deliver(recipients=["a@example.org"], **NOTICE)  # no error reaches the caller
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert [r.getMessage() for r in caplog.records] == [
        f"Delivery {delivery.pk} was not queued (OperationalError): the outbox sweep will send it"
    ]


def test_enqueue_publishes_without_kombus_own_retries():
    with mock.patch.object(send_delivery_task, "apply_async") as apply_async:
        assert enqueue_send(7) is True
    apply_async.assert_called_once_with((7,), retry=False)


def test_the_broker_has_short_socket_timeouts(settings):
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert 0 < options["socket_connect_timeout"] <= 5
    assert 0 < options["socket_timeout"] <= 5


def test_send_again_puts_failed_rows_back_to_pending_and_queues_them(django_capture_on_commit_callbacks):
    failed = FailedDeliveryFactory(attempts=9, **NOTICE)
    SentDeliveryFactory(**NOTICE)
    with (
        mock.patch.object(send_delivery_task, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        again = send_again(kind="example", object_key="posting:4")
    assert [d.pk for d in again] == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 9)
    apply_async.assert_called_once_with((failed.pk,), retry=False)


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"), BROKER_DOWN])
def test_the_send_task_retries_database_and_broker_errors(error):
    from celery.exceptions import Retry

    delivery = DeliveryFactory()
    with (
        mock.patch("notifications.sending.Delivery.objects.select_for_update", side_effect=error),
        pytest.raises(Retry),
    ):
        send_delivery_task.apply(args=(delivery.pk,))


@pytest.mark.django_db(transaction=True)
def test_the_outcome_is_written_on_a_new_connection_when_the_old_one_dropped():
    from notifications import sending

    delivery = DeliveryFactory()
    real = sending._record_sent
    calls = []

    def drops_once(row):
        calls.append(row.pk)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        real(row)

    with mock.patch.object(sending, "_record_sent", drops_once), mock.patch.object(sending.time, "sleep"):
        assert send_delivery(delivery.pk) is True
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(calls) == 2 and len(mail.outbox) == 1


def test_a_recorded_row_is_never_lost_with_its_change(django_capture_on_commit_callbacks):
    """The row is written in the caller's transaction: rolled back with it, committed with it."""
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        deliver(recipients=["a@example.org"], **NOTICE)
        raise RuntimeError("the change failed")
    assert not Delivery.objects.exists()
