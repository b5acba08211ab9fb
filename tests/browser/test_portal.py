"""The portal in a real browser: sign in (password, then the authenticator app), log a concern, find
it, be refused another school's, and pass an axe-core accessibility check on the main pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from core.groups import BCU_MANAGER_GROUP
from safeguarding.models import Concern
from tests.browser.conftest import pass_second_factor, serious_accessibility_violations
from tests.factories.mfa import authenticator
from tests.factories.officers import BCUManagerFactory, UserFactory
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

# The live server needs committed data. (No serialized_rollback: it breaks after any other transactional test.)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def schools():
    return SchoolFactory(name="Alder School"), SchoolFactory(name="Birch School")


@pytest.fixture
def dsl(schools):
    user = UserFactory(username="dsl-a", first_name="Dana", last_name="Lead")
    DSLContactFactory(school=schools[0], user=user)
    return user


def _page_replaced(old_page):
    """Wait condition: the old document is gone and the new one has finished loading.

    Chrome reports a node of a replaced document either as a stale element or, when the new
    document arrives quickly, as "Node with given id does not belong to the document": both
    mean the page has been replaced.
    """

    def replaced(driver) -> bool:
        try:
            old_page.is_enabled()
            return False
        except StaleElementReferenceException:
            pass
        except WebDriverException as error:
            if "does not belong to the document" not in str(error):
                raise
        return driver.execute_script("return document.readyState") == "complete"

    return replaced


def click_and_wait(browser, element) -> None:
    """Click something that loads a new page, and wait until it has."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 20).until(_page_replaced(page))


def sign_in(browser, username: str, password: str = PASSWORD) -> dict[str, list]:
    """The sign-in page, then the MFA step; returns the MFA pages' accessibility violations."""
    browser.get(browser.base_url + reverse("login"))
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(password)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))
    return pass_second_factor(browser, username)


def heading(browser) -> str:
    return browser.find_element(By.TAG_NAME, "h1").text


def test_a_dsl_signs_in_logs_a_concern_and_sees_it_in_the_list(browser, dsl):
    # The first sign-in sets up the authenticator app.
    assert set(sign_in(browser, "dsl-a")) == {"set up an authenticator app", "recovery codes"}
    assert heading(browser) == "Your schools"

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Log a concern"))
    browser.find_element(By.ID, "id_pupil_reference").send_keys("AB-2026-077")
    Select(browser.find_element(By.ID, "id_year_group")).select_by_visible_text("Year 8")
    Select(browser.find_element(By.ID, "id_category")).select_by_visible_text("Bullying")
    Select(browser.find_element(By.ID, "id_severity")).select_by_visible_text("Medium")
    browser.find_element(By.ID, "id_description").send_keys("Fictional: messages mocking the pupil.")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))

    concern = Concern.objects.get()
    assert heading(browser) == f"Concern {concern.pk}"
    assert "logged" in browser.find_element(By.CLASS_NAME, "govuk-notification-banner").text

    browser.get(browser.base_url + reverse("safeguarding:concern-list"))
    assert "AB-2026-077" in browser.find_element(By.TAG_NAME, "table").text


def test_a_manager_signs_in_to_the_admin_with_the_code_from_their_app(browser):
    from urllib.parse import urlsplit

    Group.objects.get_or_create(name=BCU_MANAGER_GROUP)
    authenticator(BCUManagerFactory(username="manager"))
    browser.get(browser.base_url + reverse("admin:login"))
    browser.find_element(By.ID, "id_username").send_keys("manager")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form [type=submit]"))
    assert heading(browser) == "Enter the code from your authenticator app"

    pass_second_factor(browser, "manager")

    # On to the admin, whose index sends a BCU manager to their start page.
    assert urlsplit(browser.current_url).path == reverse("desk:start")


def test_a_sign_in_with_a_wrong_password_shows_the_error_summary(browser, dsl):
    sign_in(browser, "dsl-a", "wrong-password")
    assert "There is a problem" in browser.find_element(By.CLASS_NAME, "govuk-error-summary").text


def test_a_dsl_is_refused_another_schools_concern_by_url_and_by_list(browser, dsl, schools):
    other = ConcernFactory(school=schools[1], pupil_reference="BZ-OTHER-1")
    mine = ConcernFactory(school=schools[0], pupil_reference="AB-MINE-1")
    sign_in(browser, "dsl-a")

    browser.get(browser.base_url + reverse("safeguarding:concern-detail", args=[other.pk]))
    assert heading(browser) == "Page not found"
    assert "BZ-OTHER-1" not in browser.page_source

    browser.get(browser.base_url + reverse("safeguarding:concern-list"))
    table = browser.find_element(By.TAG_NAME, "table").text
    assert "AB-MINE-1" in table and "BZ-OTHER-1" not in table
    assert mine.pk != other.pk


def test_main_pages_have_no_serious_accessibility_violations(browser, dsl, schools):
    concern = ConcernFactory(school=schools[0], logged_by=dsl)
    ConcernActionFactory(concern=concern, recorded_by=dsl)
    # A transactional test may run after another one's flush, which drops the groups made by data migrations.
    Group.objects.get_or_create(name=BCU_MANAGER_GROUP)
    # The manager has an authenticator app already: they get the code step.
    authenticator(BCUManagerFactory(username="manager"))
    pages = {}

    browser.get(browser.base_url + reverse("login"))
    pages["sign in"] = serious_accessibility_violations(browser)
    pages |= sign_in(browser, "dsl-a")
    for name, url in [
        ("dashboard", reverse("safeguarding:dashboard")),
        ("concern list", reverse("safeguarding:concern-list")),
        ("log a concern", reverse("safeguarding:concern-create")),
        ("concern detail", reverse("safeguarding:concern-detail", args=[concern.pk])),
        ("contact details", reverse("safeguarding:contact-details")),
        # After the concern's page, so its view is listed.
        ("access log", reverse("safeguarding:access-log")),
        ("access log with errors", reverse("safeguarding:access-log") + "?date_from=2026-02-30"),
        ("export a pupil's data", reverse("retention:pupil-export")),
    ]:
        browser.get(browser.base_url + url)
        pages[name] = serious_accessibility_violations(browser)
    browser.get(browser.base_url + reverse("safeguarding:concern-create"))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "There is a problem" in browser.page_source
    pages["log a concern with errors"] = serious_accessibility_violations(browser)
    browser.get(browser.base_url + reverse("retention:pupil-export"))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "There is a problem" in browser.page_source
    pages["export a pupil's data with errors"] = serious_accessibility_violations(browser)

    browser.delete_all_cookies()
    pages |= sign_in(browser, "manager")
    browser.get(browser.base_url + reverse("safeguarding:statistics"))
    pages["statistics"] = serious_accessibility_violations(browser)

    assert {"set up an authenticator app", "recovery codes", "enter a code"} <= set(pages)
    assert {name: found for name, found in pages.items() if found} == {}


def test_the_accessibility_check_reports_an_unlabelled_field(browser):
    # Guards the check itself: a page axe-core must fail.
    browser.get(
        "data:text/html,<!DOCTYPE html><html lang='en'><title>t</title><main><input type='text'></main></html>"
    )
    assert "label" in {violation["id"] for violation in serious_accessibility_violations(browser)}
