"""A child protection file follows a pupil to a new school, in a real browser: the demo DSL of one
school sends a pupil's file, the demo DSL of another school opens it (received) and acknowledges it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from selenium.webdriver.common.by import By

from casework.models import FileTransfer, TransferStatus
from safeguarding.demo import DEMO_DSL_USERNAMES, DEMO_PASSWORD
from safeguarding.models import Pupil
from schools.models import DSLContact
from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_portal import click_and_wait, heading, sign_in
from tests.data_migrations import restore_data_migration_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOVING_PUPIL = "RB-2026-021"  # a demo pupil of the first DSL's school with an open concern, not yet transferred


@pytest.fixture
def demo_data():
    # The data migrations' rows (groups, courses, categories) may have been flushed by an earlier
    # transactional test.
    restore_data_migration_rows()
    # The test settings run with DEBUG off; this is the throw-away test database, never live data.
    call_command("load_demo", allow_production=True, stdout=io.StringIO())


def _school_of(username: str):
    return DSLContact.objects.get(user__username=username, is_current=True).school


def test_a_dsl_transfers_a_pupils_file_and_the_new_schools_dsl_acknowledges_it(browser, demo_data):
    old_school, new_school = (_school_of(username) for username in DEMO_DSL_USERNAMES)

    sign_in(browser, DEMO_DSL_USERNAMES[0], DEMO_PASSWORD)
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Child protection file transfers"))
    assert serious_accessibility_violations(browser) == []
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Transfer a pupil's file"))
    assert serious_accessibility_violations(browser) == []
    browser.find_element(By.ID, "id_pupil_reference").send_keys(MOVING_PUPIL)
    browser.find_element(By.ID, "id_to_school_urn").send_keys(new_school.urn)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))

    transfer = FileTransfer.objects.get(pupil__reference=MOVING_PUPIL)
    assert heading(browser) == f"File transfer {transfer.pk}"
    assert (transfer.from_school, transfer.to_school, transfer.status) == (old_school, new_school, TransferStatus.SENT)
    assert "Only the new school's DSLs read the copy sent" in browser.page_source

    browser.delete_all_cookies()
    sign_in(browser, DEMO_DSL_USERNAMES[1], DEMO_PASSWORD)
    browser.get(browser.base_url + reverse("casework:transfer-list"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, f"File transfer {transfer.pk}"))
    assert "Group messages mocking the pupil" in browser.find_element(By.ID, "file").find_element(By.XPATH, "..").text
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    assert transfer.received_by.username == DEMO_DSL_USERNAMES[1]
    assert serious_accessibility_violations(browser) == []

    browser.find_element(By.ID, "id_new_pupil_reference").send_keys("HW-2026-090")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Acknowledge receipt']"))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACKNOWLEDGED
    assert transfer.receiving_pupil == Pupil.objects.get(school=new_school, reference="HW-2026-090")
    assert "Acknowledged" in browser.find_element(By.CSS_SELECTOR, ".govuk-summary-list").text
