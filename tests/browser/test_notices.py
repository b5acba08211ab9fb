"""A DSL shares a concern while the broker is stopped: the page says the officer will be e-mailed,
and once the broker is back and the outbox sweep has run, when the e-mail was sent."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from selenium.webdriver.common.by import By

from notifications.models import Delivery, DeliveryStatus
from notifications.tasks import send_delivery as send_delivery_task
from notifications.tasks import sweep_outbox
from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_portal import click_and_wait, heading, sign_in
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROKER_STOPPED = BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def concern():
    school = SchoolFactory(name="Alder School")
    dsl = UserFactory(username="dsl-a", first_name="Dana", last_name="Lead")
    DSLContactFactory(school=school, user=dsl)
    officer = UserFactory(username="sso-a", email="sso-a@police.invalid")
    PostingFactory(officer=OfficerFactory(user=officer), school=school, start_date=datetime.date(2020, 1, 1))
    return ConcernFactory(school=school, logged_by=dsl)


def _notices(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, "#notices + ul").text


def test_a_share_with_the_broker_stopped_says_will_be_e_mailed_then_sent_at_after_the_sweep(
    browser, concern, settings
):
    sign_in(browser, "dsl-a")
    browser.get(browser.base_url + reverse("safeguarding:concern-detail", args=[concern.pk]))
    share = browser.find_element(By.XPATH, "//button[contains(., 'Share with the school')]")

    with mock.patch.object(send_delivery_task, "apply_async", side_effect=BROKER_STOPPED):
        click_and_wait(browser, share)

    assert heading(browser) == f"Concern {concern.pk}"  # the share was saved; no error page
    banner = browser.find_element(By.CLASS_NAME, "govuk-notification-banner").text
    assert "will be e-mailed a link" in banner
    assert "sso-a@police.invalid" in _notices(browser) and "Will be e-mailed" in _notices(browser)
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    assert mail.outbox == []
    assert serious_accessibility_violations(browser) == []

    # The broker is back; beat runs the sweep.
    settings.NOTIFICATIONS_PENDING_GRACE_SECONDS = 0
    sweep_outbox.apply()
    browser.refresh()

    sent_at = timezone.localtime(Delivery.objects.get().sent_at)
    assert f"Sent at {sent_at:%H:%M} on {sent_at.day} {sent_at:%b %Y}" in _notices(browser)
    assert "Will be e-mailed" not in _notices(browser)
    assert [message.to for message in mail.outbox] == [["sso-a@police.invalid"]]
