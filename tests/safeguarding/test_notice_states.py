"""The concern page shows the DSL each notice to the officers (will be e-mailed, sent at, failed
with a reason), and sharing never fails because the broker cannot take the send task."""

import datetime
import html
from unittest import mock

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError

from notifications.models import Delivery, DeliveryStatus
from notifications.tasks import send_delivery as send_delivery_task
from notifications.tasks import sweep_outbox
from tests.factories.notifications import DeliveryFactory, FailedDeliveryFactory, SentDeliveryFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _page(client, user, concern) -> str:
    client.force_login(user)
    response = client.get(reverse("safeguarding:concern-detail", args=[concern.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _notice(factory, concern, **fields):
    return factory(object_key=f"concern:{concern.pk}", **fields)


def test_a_notice_not_sent_yet_says_will_be_e_mailed(client, dsl_a, shared_concern_a):
    _notice(DeliveryFactory, shared_concern_a, recipient="sso-a@police.invalid")
    page = _page(client, dsl_a, shared_concern_a)
    assert "sso-a@police.invalid" in page
    assert "Will be e-mailed" in page
    assert "Send again" not in page


def test_a_sent_notice_says_when_in_london_time(client, dsl_a, shared_concern_a):
    sent = datetime.datetime(2026, 7, 1, 13, 5, tzinfo=UTC)
    _notice(SentDeliveryFactory, shared_concern_a, last_attempt_at=sent, sent_at=sent)
    page = _page(client, dsl_a, shared_concern_a)
    assert "Sent at 14:05 on 1 Jul 2026" in page
    assert "Will be e-mailed" not in page


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("SMTPRecipientsRefused: {'a@x': (550, b'no such user')}", "the mail server refused the officer's address"),
        ("SMTPServerDisconnected: Connection unexpectedly closed", "the mail server could not be reached"),
        ("ConnectionRefusedError: [Errno 111] Connection refused", "the mail server could not be reached"),
        ("SMTPDataError: (554, b'5.7.1 rejected')", "the mail server reported an error"),
    ],
)
def test_a_failed_notice_gives_a_plain_reason_and_offers_send_again(client, dsl_a, shared_concern_a, error, reason):
    _notice(FailedDeliveryFactory, shared_concern_a, last_error=error)
    page = _page(client, dsl_a, shared_concern_a)
    assert f"Could not be sent: {reason}" in page
    assert "Send again" in page
    assert "550" not in page and "554" not in page


def test_the_officer_does_not_see_the_notices(client, sso_a, shared_concern_a):
    _notice(SentDeliveryFactory, shared_concern_a)
    page = _page(client, sso_a, shared_concern_a)
    assert 'id="notices"' not in page


def test_send_again_queues_the_failed_notices_and_the_page_says_will_be_e_mailed(
    client, dsl_a, shared_concern_a, django_capture_on_commit_callbacks
):
    failed = _notice(FailedDeliveryFactory, shared_concern_a)
    client.force_login(dsl_a)
    with (
        mock.patch.object(send_delivery_task, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("safeguarding:concern-notices-again", args=[shared_concern_a.pk]), follow=True)
    apply_async.assert_called_once_with((failed.pk,), retry=False)
    page = response.content.decode()
    assert "The e-mail that could not be sent will be sent again." in page
    assert "Will be e-mailed: tried 3 times, trying again" in page


def test_send_again_with_nothing_failed_says_so(client, dsl_a, shared_concern_a):
    _notice(SentDeliveryFactory, shared_concern_a)
    client.force_login(dsl_a)
    response = client.post(reverse("safeguarding:concern-notices-again", args=[shared_concern_a.pk]), follow=True)
    assert "No e-mail about this concern is waiting to be sent again." in response.content.decode()
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_send_again_on_a_concern_not_shared_changes_nothing(client, dsl_a, concern_a):
    client.force_login(dsl_a)
    response = client.post(reverse("safeguarding:concern-notices-again", args=[concern_a.pk]), follow=True)
    assert "This concern has not been shared" in response.content.decode()


def test_sharing_with_the_broker_down_keeps_the_share_and_the_notice_waits_for_the_sweep(
    client, dsl_a, concern_a, sso_a, django_capture_on_commit_callbacks, settings
):
    client.force_login(dsl_a)
    down = BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch.object(send_delivery_task, "apply_async", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("safeguarding:concern-share", args=[concern_a.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "will be e-mailed a link" in page and "Will be e-mailed" in page
    concern_a.refresh_from_db()
    assert concern_a.shared_with_police
    notice = Delivery.objects.get(kind="shared-concern")
    assert notice.status == DeliveryStatus.PENDING

    settings.NOTIFICATIONS_PENDING_GRACE_SECONDS = 0
    sweep_outbox.apply()  # the broker is back: the sweep sends it
    assert "Sent at " in _page(client, dsl_a, concern_a)
