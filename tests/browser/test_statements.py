"""The child safeguarding statement in a browser on a phone: the DSL drafts it, the head teacher
signs it off and publishes it, anyone reads it; no page has a serious accessibility violation."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from selenium.webdriver.common.by import By

from schools.models import StaffRole
from statements.models import SafeguardingStatement
from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, HEADLESS_FLAGS, serious_accessibility_violations
from tests.browser.test_portal import click_and_wait, heading
from tests.factories.mfa import verified_login
from tests.factories.officers import UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory
from tests.factories.statements import SECTIONS_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844, "pixelRatio": 2}


@pytest.fixture
def phone(live_server):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromedriver are not installed (run .ci/system-packages)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    driver.base_url = live_server.url
    yield driver
    driver.quit()


def _signed_in_as(driver, user) -> None:
    client = Client()
    verified_login(client, user)
    driver.delete_all_cookies()
    driver.get(driver.base_url + reverse("login"))
    driver.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


def _fits(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_the_dsl_drafts_the_head_teacher_signs_and_anyone_reads_it(phone):
    school = SchoolFactory(name="Alder Primary School", urn="190777")
    dsl, head = UserFactory(username="dsl-statement"), UserFactory(username="head-statement")
    DSLContactFactory(school=school, user=dsl)
    SchoolStaffFactory(school=school, user=head, role=StaffRole.HEAD_TEACHER)
    violations = {}

    _signed_in_as(phone, dsl)
    phone.get(phone.base_url + reverse("safeguarding:dashboard"))
    click_and_wait(phone, phone.find_element(By.LINK_TEXT, "Your school's child safeguarding statement"))
    violations["overview"] = serious_accessibility_violations(phone)
    click_and_wait(phone, phone.find_element(By.LINK_TEXT, "Write the statement"))
    violations["draft form"] = serious_accessibility_violations(phone)
    for name, text in SECTIONS_TEXT.items():
        phone.find_element(By.ID, f"id_{name}").send_keys(text)
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert heading(phone) == "Child safeguarding statement" and _fits(phone)

    _signed_in_as(phone, head)
    phone.get(phone.base_url + reverse("safeguarding:dashboard"))
    click_and_wait(phone, phone.find_element(By.PARTIAL_LINK_TEXT, "Read and sign"))
    violations["draft to sign"] = serious_accessibility_violations(phone)
    phone.find_element(By.ID, "id_sign-signatory_name").send_keys("Morgan Ashby")
    for box in ("id_sign-confirm", "id_sign-publish", "id_sign-show_signatory_name"):
        phone.find_element(By.ID, box).click()
    click_and_wait(phone, phone.find_element(By.XPATH, "//button[text()='Sign the statement off']"))
    assert "The statement is signed" in phone.find_element(By.CLASS_NAME, "govuk-notification-banner").text
    violations["signed"] = serious_accessibility_violations(phone)
    assert _fits(phone)
    statement = SafeguardingStatement.objects.get()
    assert statement.is_signed and statement.is_published and statement.signed_by == head

    phone.delete_all_cookies()
    phone.get(phone.base_url + reverse("statements:public", args=[school.urn]))
    assert "Signed off by Morgan Ashby, head teacher" in phone.find_element(By.TAG_NAME, "main").text
    violations["public page"] = serious_accessibility_violations(phone)
    assert _fits(phone)
    assert violations == {page: [] for page in violations}
