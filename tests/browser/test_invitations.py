"""Invitations in a real browser at phone size: a member of staff accepts one and signs in, and the
invitation pages pass the axe-core accessibility check."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from invitations.tokens import invitation_token
from schools.models import SchoolStaff
from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_portal import click_and_wait, heading, sign_in
from tests.factories.invitations import AdministratorFactory, InvitationFactory
from tests.factories.officers import UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-enough-passphrase-2026"


@pytest.fixture
def invitation():
    school = SchoolFactory(name="Alder School")
    inviter = AdministratorFactory(first_name="Dana", last_name="Lead")
    return InvitationFactory(school=school, invited_by=inviter, email="sam@school.invalid")


def _open(browser, invitation) -> None:
    browser.get(browser.base_url + reverse("invitations:accept", args=[invitation_token(invitation)]))


def test_a_member_of_staff_accepts_an_invitation_and_signs_in(browser, invitation):
    _open(browser, invitation)
    assert "Member of school staff at Alder School" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.ID, "id_password_again").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))

    assert heading(browser) == "Sign in"
    assert "Your login sam@school.invalid is ready" in browser.page_source
    sign_in(browser, "sam@school.invalid", PASSWORD)
    assert SchoolStaff.objects.get(user__username="sam@school.invalid").school == invitation.school


def test_invitation_pages_have_no_serious_accessibility_violations(browser, invitation):
    pages = {}
    _open(browser, invitation)
    pages["accept"] = serious_accessibility_violations(browser)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "There is a problem" in browser.page_source
    pages["accept with errors"] = serious_accessibility_violations(browser)
    browser.get(browser.base_url + reverse("invitations:accept", args=["0" * 64]))
    pages["link not valid"] = serious_accessibility_violations(browser)

    dsl = UserFactory(username="dsl-a")
    DSLContactFactory(school=invitation.school, user=dsl)
    sign_in(browser, "dsl-a")
    _open(browser, invitation)
    pages["accept refused"] = serious_accessibility_violations(browser)
    for name, url_name in [("staff access", "invitations:staff"), ("invite", "invitations:staff-invite")]:
        browser.get(browser.base_url + reverse(url_name))
        pages[name] = serious_accessibility_violations(browser)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "There is a problem" in browser.page_source
    pages["invite with errors"] = serious_accessibility_violations(browser)

    assert {name: found for name, found in pages.items() if found} == {}
