"""The portal, the admin and the API documentation work in a real browser under the
Content-Security-Policy: nothing is blocked (Chromium reports every violation in its console),
GOV.UK Frontend starts from its static files, and forms still submit."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.groups import BCU_MANAGER_GROUP, COUNCIL_READER_GROUP
from tests.browser.conftest import pass_second_factor, policy_violations
from tests.browser.test_portal import PASSWORD, click_and_wait, sign_in
from tests.factories.officers import (
    BCUManagerFactory,
    OfficerFactory,
    PostingFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    UserFactory,
)
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory
from tests.factories.searches import SearchRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OCTOBER = "?date_from=2026-10-01&date_to=2026-10-31"


@pytest.fixture(autouse=True)
def _groups():
    # A transactional test may run after another one's flush, which drops the groups made by data migrations.
    for name in (BCU_MANAGER_GROUP, COUNCIL_READER_GROUP):
        Group.objects.get_or_create(name=name)


def visit(browser, url: str) -> list[str]:
    """Open a page of the live server; the policy violations it caused."""
    browser.get(browser.base_url + url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return policy_violations(browser)


def admin_sign_in(browser, username: str) -> None:
    browser.get(browser.base_url + reverse("admin:login"))
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form [type=submit]"))
    # Every sign-in, the admin's too, sets up or asks for a second factor before any page.
    pass_second_factor(browser, username)


def test_the_portal_pages_cause_no_policy_violation(browser):
    school = SchoolFactory(name="Alder School")
    dsl = UserFactory(username="dsl-a")
    DSLContactFactory(school=school, user=dsl)
    concern = ConcernFactory(school=school, logged_by=dsl)
    ConcernActionFactory(concern=concern, recorded_by=dsl)
    SearchRecordFactory(school=school)
    BCUManagerFactory(username="manager")
    found = {"home": visit(browser, reverse("home")), "sign in": visit(browser, reverse("login"))}

    sign_in(browser, "dsl-a")
    for name, url in [
        ("dashboard", reverse("safeguarding:dashboard")),
        ("concern list", reverse("safeguarding:concern-list")),
        ("log a concern", reverse("safeguarding:concern-create")),
        ("concern", reverse("safeguarding:concern-detail", args=[concern.pk])),
        ("contact details", reverse("safeguarding:contact-details")),
        ("page not found", reverse("safeguarding:concern-detail", args=[concern.pk + 1000])),
    ]:
        found[name] = visit(browser, url)
    browser.delete_all_cookies()
    sign_in(browser, "manager")
    found["concern statistics"] = visit(browser, reverse("safeguarding:statistics"))
    found["search summary"] = visit(browser, reverse("searches:summary") + "?month=2026-10")

    assert {name: messages for name, messages in found.items() if messages} == {}


def test_govuk_frontend_starts_from_its_static_files(browser):
    DSLContactFactory(user=UserFactory(username="dsl-a"))
    sign_in(browser, "dsl-a")

    classes = browser.execute_script("return document.body.className").split()
    # At phone width the service navigation's menu button is shown by its component's script.
    toggle = browser.find_element(By.CSS_SELECTOR, ".govuk-js-service-navigation-toggle")

    assert {"js-enabled", "govuk-frontend-supported"} <= set(classes)
    assert toggle.get_attribute("hidden") is None
    assert policy_violations(browser) == []


def test_the_admin_pages_cause_no_policy_violation(browser):
    school = SchoolFactory(name="Alder School")
    posting = PostingFactory(school=school, officer=OfficerFactory(), start_date=datetime.date(2026, 9, 1))
    TrainingRecordFactory(officer=posting.officer, course=TrainingCourseFactory())
    SearchRecordFactory(school=school)
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    found = {"sign in": visit(browser, reverse("admin:login"))}

    admin_sign_in(browser, "admin")
    for name, url in [
        ("index", reverse("admin:index")),
        ("school list", reverse("admin:schools_school_changelist")),
        ("school", reverse("admin:schools_school_change", args=[school.pk])),
        ("school history", reverse("admin:schools_school_history", args=[school.pk])),
        ("add a posting", reverse("admin:officers_posting_add")),
        ("add a search record", reverse("admin:searches_searchrecord_add")),
        ("search report", reverse("admin:searches_searchrecord_report") + OCTOBER),
        ("training compliance", reverse("admin:officers_officer_training_compliance")),
        ("priority scores", reverse("admin:priorities_priorityscore_changelist")),
    ]:
        found[name] = visit(browser, url)

    assert {name: messages for name, messages in found.items() if messages} == {}


def _recording_writes(writes: list):
    def record(execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith("SELECT"):
            writes.append((sql[:120], params))
        return execute(sql, params, many, context)

    return record


def test_an_admin_form_still_saves_under_the_policy(browser):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin_sign_in(browser, "admin")
    # The council readers' two-box selector is the admin's own script.
    visit(browser, reverse("admin:schools_localauthority_add"))

    browser.find_element(By.ID, "id_gss_code").send_keys("E09999999")
    browser.find_element(By.ID, "id_name").send_keys("Fictional Borough")
    # The rows the save writes, to name them should it fail (it once did, in whole parallel runs only).
    writes = []
    with connection.execute_wrapper(_recording_writes(writes)):
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[name=_save]"))

        # The next page may still be loading when the old one is gone: wait for its message list.
        try:
            messages = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
        except TimeoutException:
            page = browser.find_element(By.TAG_NAME, "body").text[:600]
            pytest.fail(f"no message after saving; at {browser.current_url}: {page}\nwrites: {writes}")
    assert "was added successfully" in messages[0].text
    assert policy_violations(browser) == []


def test_the_api_documentation_renders_and_opens_an_endpoint_under_the_policy(browser):
    violations = visit(browser, reverse("api-docs"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"))
    browser.find_element(By.CSS_SELECTOR, ".swagger-ui .opblock-summary").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .try-out__btn"))
    browser.find_element(By.CSS_SELECTOR, ".swagger-ui .try-out__btn").click()

    assert "SSO Portal API" in browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
    assert violations + policy_violations(browser) == []
