"""The school's safeguarding record in a real browser: a member of staff reports a pupil, the DSL
triages the report into a concern, marks the body map (by click and by keyboard), sets a task and
transfers the pupil's file to another school, whose DSL acknowledges it; each page passes axe-core
and fits its window without scrolling sideways."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from casework.models import FileTransfer, TransferStatus
from safeguarding.models import BodyMapMark, Concern, Pupil, StaffReport, Task
from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_portal import click_and_wait, heading, sign_in
from tests.factories.mfa import authenticator
from tests.factories.officers import UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school():
    return SchoolFactory(name="Alder School")


@pytest.fixture
def staff(school):
    user = UserFactory(username="staff-a", first_name="Sam", last_name="Teacher")
    SchoolStaffFactory(school=school, user=user)
    authenticator(user)
    return user


@pytest.fixture
def dsl(school):
    user = UserFactory(username="dsl-a", first_name="Dana", last_name="Lead")
    DSLContactFactory(school=school, user=user)
    authenticator(user)
    return user


@pytest.fixture
def new_school():
    return SchoolFactory(name="Birch School")


@pytest.fixture
def new_schools_dsl(new_school):
    user = UserFactory(username="dsl-b", first_name="Bo", last_name="Lead")
    DSLContactFactory(school=new_school, user=user)
    authenticator(user)
    return user


def fits_and_is_accessible(browser) -> None:
    wide = browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, f"{browser.current_url} scrolls sideways"
    assert serious_accessibility_violations(browser) == [], browser.current_url


def test_a_staff_report_triaged_marked_tasked_and_its_file_transferred_and_acknowledged(
    browser, school, staff, dsl, new_school, new_schools_dsl
):
    # The member of staff reports.
    sign_in(browser, "staff-a")
    assert heading(browser) == "Your reports"
    fits_and_is_accessible(browser)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Report a concern"))
    fits_and_is_accessible(browser)
    browser.find_element(By.ID, "id_pupil_reference").send_keys("AB-2026-090")
    browser.find_element(By.ID, "id_what_happened").send_keys("Fictional: a bruise on the pupil's arm.")
    browser.find_element(By.ID, "id_happened_on_day").send_keys("1 9 2026")
    browser.find_element(By.ID, "id_location").send_keys("Changing rooms")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Waiting for the DSL" in browser.find_element(By.ID, "my-reports").text
    report = StaffReport.objects.get()

    # The DSL triages it into a concern.
    browser.delete_all_cookies()
    sign_in(browser, "dsl-a")
    click_and_wait(browser, browser.find_element(By.ID, "triage-link"))
    fits_and_is_accessible(browser)
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, f"Report {report.pk}"))
    fits_and_is_accessible(browser)
    Select(browser.find_element(By.ID, "id_accept-year_group")).select_by_visible_text("Year 8")
    Select(browser.find_element(By.ID, "id_accept-category")).select_by_visible_text("Physical abuse")
    Select(browser.find_element(By.ID, "id_accept-severity")).select_by_visible_text("High")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Log as a new concern']"))
    concern = Concern.objects.get()
    assert heading(browser) == f"Concern {concern.pk}"

    # A mark by clicking the outline, and one by keyboard.
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Body map"))
    fits_and_is_accessible(browser)
    browser.find_element(By.CSS_SELECTOR, "svg[data-view=front] polygon[data-place='front:chest']").click()
    assert "Front: Chest" in browser.find_element(By.CLASS_NAME, "app-body-map__chosen").text
    browser.find_element(By.ID, "id_mark-note").send_keys("Fictional: bruise, 3 cm")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Add mark']"))
    assert "Chest (front): Fictional: bruise, 3 cm" in browser.find_element(By.ID, "mark-list").text
    back_of_head = browser.find_element(By.CSS_SELECTOR, "polygon[data-place='back:head']")
    back_of_head.send_keys(Keys.ENTER)
    browser.find_element(By.ID, "id_mark-note").send_keys("Fictional: graze")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Add mark']"))
    assert list(BodyMapMark.objects.values_list("view", "region")) == [("front", "chest"), ("back", "head")]

    # The pupil's chronology, and a task from one of its entries.
    browser.get(browser.base_url + reverse("safeguarding:pupil-detail", args=[concern.pupil_id]))
    fits_and_is_accessible(browser)
    chronology = browser.find_element(By.ID, "pupil-chronology").text
    assert "Body map" in chronology and f"Staff report {report.pk}" in chronology
    click_and_wait(browser, browser.find_elements(By.PARTIAL_LINK_TEXT, "Create a task")[1])
    fits_and_is_accessible(browser)
    browser.find_element(By.ID, "id_description").send_keys("Fictional: check in with the pupil")
    Select(browser.find_element(By.ID, "id_assigned_to")).select_by_visible_text("Sam Teacher")
    browser.find_element(By.ID, "id_due_on_day").send_keys("1 1 2099")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Task for Sam Teacher, due 1 Jan 2099" in browser.find_element(By.ID, "pupil-chronology").text
    assert Task.objects.get().assigned_to == staff

    # The member of staff sees the task.
    browser.delete_all_cookies()
    sign_in(browser, "staff-a")
    browser.get(browser.base_url + reverse("safeguarding:my-tasks"))
    fits_and_is_accessible(browser)
    assert "Fictional: check in with the pupil" in browser.find_element(By.ID, "tasks").text

    # The pupil moves school: the DSL transfers the file, the new school's DSL acknowledges it.
    browser.delete_all_cookies()
    sign_in(browser, "dsl-a")
    browser.get(browser.base_url + reverse("casework:transfer-create"))
    fits_and_is_accessible(browser)
    browser.find_element(By.ID, "id_pupil_reference").send_keys("AB-2026-090")
    browser.find_element(By.ID, "id_to_school_urn").send_keys(new_school.urn)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    transfer = FileTransfer.objects.get()
    assert (transfer.pupil, transfer.to_school, transfer.status) == (concern.pupil, new_school, TransferStatus.SENT)

    browser.delete_all_cookies()
    sign_in(browser, "dsl-b")
    browser.get(browser.base_url + reverse("casework:transfer-list"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, f"File transfer {transfer.pk}"))
    fits_and_is_accessible(browser)
    assert "Physical abuse" in browser.find_element(By.ID, "file").find_element(By.XPATH, "..").text
    browser.find_element(By.ID, "id_new_pupil_reference").send_keys("BS-2026-001")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Acknowledge receipt']"))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACKNOWLEDGED
    assert transfer.receiving_pupil == Pupil.objects.get(school=new_school, reference="BS-2026-001")
