import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import DeliveryStatus
from tests.factories.notifications import FailedDeliveryFactory, SentDeliveryFactory
from tests.factories.officers import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_superuser_reads_the_deliveries_and_their_errors(superuser_client):
    delivery = FailedDeliveryFactory(last_error="SMTPServerDisconnected: connection lost")
    changelist = superuser_client.get(reverse("admin:notifications_delivery_changelist"))
    assert delivery.object_key in changelist.content.decode()
    page = superuser_client.get(reverse("admin:notifications_delivery_change", args=[delivery.pk]))
    assert "SMTPServerDisconnected: connection lost" in page.content.decode()


def test_nobody_adds_changes_or_deletes_a_delivery_in_the_admin(superuser_client):
    delivery = FailedDeliveryFactory()
    assert superuser_client.get(reverse("admin:notifications_delivery_add")).status_code == 403
    assert superuser_client.get(reverse("admin:notifications_delivery_delete", args=[delivery.pk])).status_code == 403
    response = superuser_client.post(
        reverse("admin:notifications_delivery_change", args=[delivery.pk]), {"status": DeliveryStatus.SENT}
    )
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_a_bcu_manager_cannot_see_the_deliveries(manager_client):
    assert manager_client.get(reverse("admin:notifications_delivery_changelist")).status_code == 403


def test_the_changelist_query_count_does_not_grow_with_rows(superuser_client, django_assert_num_queries):
    url = reverse("admin:notifications_delivery_changelist")
    SentDeliveryFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        superuser_client.get(url)
    SentDeliveryFactory.create_batch(20)
    FailedDeliveryFactory.create_batch(5, kind="training-expiring-30")
    with django_assert_num_queries(len(few)):
        superuser_client.get(url)
