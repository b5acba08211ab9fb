"""The SSO on a phone (Chrome's mobile emulation, 390 px wide): sign in, log today's daily check,
record a search; no page scrolls sideways and none has a serious accessibility violation."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from searches.models import SearchRecord
from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, HEADLESS_FLAGS, serious_accessibility_violations
from tests.browser.test_portal import click_and_wait, heading, sign_in
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory
from tests.factories.workspace import TouchdownPointFactory, category
from workspace.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844, "pixelRatio": 2}


@pytest.fixture(scope="module")
def _phone():
    # A headless window is never narrower than 500 px: emulate the phone's screen instead.
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
    yield driver
    driver.quit()


@pytest.fixture
def phone(_phone, live_server):
    _phone.delete_all_cookies()
    _phone.base_url = live_server.url
    yield _phone
    _phone.delete_all_cookies()


@pytest.fixture
def sso():
    school = SchoolFactory(name="Alder Academy")
    DSLContactFactory(school=school, name="Dana Lead")
    TouchdownPointFactory(school=school, room="Pastoral office P2")
    category()  # the daily check (a transactional test's flush may have removed the data migration's)
    user = UserFactory(username="sso-phone")
    PostingFactory(officer=OfficerFactory(user=user), school=school, start_date=datetime.date(2024, 9, 2))
    return user


def _fits_the_phone(driver) -> None:
    width, scrolled = driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]"
    )
    assert width == PHONE["width"]
    assert scrolled <= width, f"{driver.current_url} scrolls sideways ({scrolled} px in {width})"
    assert serious_accessibility_violations(driver) == []


def _set(driver, element_id: str, value: str) -> None:
    """A time input takes its value in ISO form, whatever the phone's locale shows."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)


def test_an_sso_logs_a_daily_check_and_records_a_search_on_a_phone(phone, sso):
    sign_in(phone, "sso-phone")
    phone.get(phone.base_url + reverse("workspace:my-schools"))
    assert heading(phone) == "My schools"
    assert "Pastoral office P2" in phone.find_element(By.TAG_NAME, "main").text
    _fits_the_phone(phone)

    click_and_wait(phone, phone.find_element(By.LINK_TEXT, "School visit or daily check"))
    _fits_the_phone(phone)
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert (
        "School visit or daily check at Alder Academy logged."
        in phone.find_element(By.CLASS_NAME, "govuk-notification-banner").text
    )
    assert Activity.objects.get().occurred_on == timezone.localdate()

    click_and_wait(phone, phone.find_element(By.LINK_TEXT, "Record a search of a child"))
    _fits_the_phone(phone)
    click_and_wait(phone, phone.find_element(By.LINK_TEXT, "Outer clothing only"))
    _fits_the_phone(phone)
    phone.find_element(By.ID, "id_reference").send_keys("SR-PHONE-0001")
    # The date as a person types it: day, month and year boxes.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for part, value in (("day", yesterday.day), ("month", yesterday.month), ("year", yesterday.year)):
        phone.find_element(By.ID, f"id_search_date_{part}").send_keys(str(value))
    _set(phone, "id_search_time", "11:30")
    Select(phone.find_element(By.ID, "id_legal_power")).select_by_value("mda_s23")
    phone.find_element(By.ID, "id_child_age").send_keys("15")
    Select(phone.find_element(By.ID, "id_gender")).select_by_value("male")
    Select(phone.find_element(By.ID, "id_self_defined_ethnicity")).select_by_value("W1")
    Select(phone.find_element(By.ID, "id_officer_observed_ethnicity")).select_by_value("W")
    phone.find_element(By.ID, "id_reason").send_keys("Smell of cannabis reported by a member of staff.")
    Select(phone.find_element(By.ID, "id_outcome")).select_by_value("nfa")
    # Saved without body-worn video answered: refused against the field.
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert (
        "Say whether the search was recorded on body-worn video."
        in phone.find_element(By.CLASS_NAME, "govuk-error-summary").text
    )
    assert not SearchRecord.objects.exists()
    _fits_the_phone(phone)

    Select(phone.find_element(By.ID, "id_body_worn_video")).select_by_value("recorded")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    summary = phone.find_elements(By.CLASS_NAME, "govuk-error-summary")
    assert not summary, summary[0].text
    WebDriverWait(phone, 20).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Search SR-PHONE-0001")
    assert SearchRecord.objects.get().officer.user == sso
    _fits_the_phone(phone)


def test_the_other_new_pages_fit_the_phone_and_pass_the_accessibility_check(phone, sso):
    from tests.factories.workspace import ActivityFactory, YouthServiceFactory

    officer = sso.officer
    school = officer.postings.get().school
    YouthServiceFactory(ward=school.ward, name="Alder Youth Centre")
    ActivityFactory(officer=officer, school=school, occurred_on=timezone.localdate(), recorded_by=sso)
    sign_in(phone, "sso-phone")
    for url in (
        reverse("workspace:activity-list"),
        reverse("workspace:activity-choose"),
        reverse("workspace:youth-service-list"),
        reverse("workspace:youth-service-create"),
        reverse("workspace:concern-pass"),
        reverse("workspace:concerns-passed"),
        reverse("searches:my-searches"),
    ):
        phone.get(phone.base_url + url)
        WebDriverWait(phone, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
        assert phone.find_elements(By.TAG_NAME, "h1"), url
        _fits_the_phone(phone)


def test_a_dsl_sets_the_touchdown_point_and_reads_the_activity_counts_on_a_phone(phone, sso):
    school = sso.officer.postings.get().school
    dsl = UserFactory(username="dsl-phone")
    DSLContactFactory(school=school, user=dsl, role="deputy")
    sign_in(phone, "dsl-phone")
    phone.get(phone.base_url + reverse("workspace:touchdown-point", args=[school.pk]))
    _fits_the_phone(phone)
    phone.find_element(By.ID, "id_room").clear()
    phone.find_element(By.ID, "id_room").send_keys("Library office")
    click_and_wait(phone, phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert (
        "Touchdown point at Alder Academy saved."
        in phone.find_element(By.CLASS_NAME, "govuk-notification-banner").text
    )
    phone.get(phone.base_url + reverse("workspace:activity-summary"))
    assert heading(phone) == "Safer Schools Officers' activity"
    _fits_the_phone(phone)
