"""The 500 and 503 pages in a real browser: the portal's look, no policy or accessibility violation."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.browser.conftest import policy_violations, serious_accessibility_violations
from tests.browser.test_portal import heading, sign_in
from tests.factories.officers import UserFactory
from tests.factories.schools import DSLContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("error", "title"),
    [
        (OperationalError("could not connect to server"), "Sorry, the service is unavailable"),
        (ZeroDivisionError("bug"), "Sorry, there is a problem with the service"),
    ],
    ids=["database-down-503", "other-500"],
)
def test_a_server_error_shows_a_page_in_the_portals_style(browser, error, title):
    DSLContactFactory(user=UserFactory(username="dsl-a"))
    sign_in(browser, "dsl-a")
    policy_violations(browser)  # forget the sign-in pages' messages
    with mock.patch("safeguarding.views.selectors.concern_list", side_effect=error):
        browser.get(browser.base_url + reverse("safeguarding:concern-list"))
    assert heading(browser) == title
    assert browser.find_element(By.CLASS_NAME, "govuk-header").is_displayed()
    assert serious_accessibility_violations(browser) == []
    assert policy_violations(browser) == []
