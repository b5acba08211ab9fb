"""The documentation's screenshots (docs/screenshots/*.png), taken in headless Chromium from the demo data.

Skipped unless ``SCREENSHOTS=1``: they are pictures for readers, not checks. Refresh them with
``make screenshots`` (this module alone, so the test database still holds what the data migrations
created), look at them, and commit the PNG files that changed.
"""

import base64
import io
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, HEADLESS_FLAGS, pass_second_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("SCREENSHOTS") != "1", reason="documentation screenshots: run `make screenshots`"
    ),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844, "pixelRatio": 2}
DESKTOP = (1280, 800)
# The demo logins that load_demo prints (demo-only passwords).
DEMO_MANAGER = ("bcu.manager", "demo-manager-2026")
DEMO_DSL = ("dsl.demo", "demo-portal-2026")
DEMO_SSO = ("sso.demo", "demo-portal-2026")
# Tall enough for a whole portal page on a phone, short enough to keep the file small (CSS pixels).
LONGEST_PHONE_PAGE = 1900
# A concern's page down to the end of its chronology, in the demo.
CONCERN_TO_CHRONOLOGY = 1315


def _chrome(*, phone: bool):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromedriver are not installed (run .ci/system-packages)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*HEADLESS_FLAGS, "--hide-scrollbars"]:
        options.add_argument(flag)
    if phone:
        # A headless window is never narrower than 500 px: emulate the phone's screen instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    else:
        options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
        options.add_argument("--force-device-scale-factor=1")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def demo(live_server):
    # Groups, their permissions and the required courses come from data migrations; a transactional
    # test run earlier in the same session flushes them, and the pictures would show a broken demo.
    if not Group.objects.filter(name="BCU manager").exists():
        pytest.skip("the data migrations' rows were flushed by an earlier test: run `make screenshots`")
    # The test settings run with DEBUG off; this is the throw-away test database, never live data.
    call_command("load_demo", allow_production=True, stdout=io.StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return live_server.url


def _sign_in(driver, base_url: str, login: tuple[str, str], *, admin: bool = False) -> None:
    driver.get(base_url + reverse("admin:login" if admin else "login"))
    driver.find_element(By.ID, "id_username").send_keys(login[0])
    driver.find_element(By.ID, "id_password").send_keys(login[1])
    driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: "login" not in d.current_url)
    # The demo logins set up an authenticator app at their first sign-in, then enter its code.
    pass_second_factor(driver, login[0])


def _open(driver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _save_page(driver, name: str, *, longest: int) -> Path:
    """The page from its top, as tall as its content but at most ``longest`` CSS pixels."""
    width, height = driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, longest), "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path = SCREENSHOTS / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def _dsl_dashboard(base_url: str) -> Path:
    driver = _chrome(phone=True)
    try:
        _sign_in(driver, base_url, DEMO_DSL)
        _open(driver, base_url + reverse("safeguarding:dashboard"))
        assert driver.find_element(By.TAG_NAME, "h1").text == "Your schools"
        return _save_page(driver, "dsl-dashboard-phone.png", longest=LONGEST_PHONE_PAGE)
    finally:
        driver.quit()


def _concern(base_url: str) -> Path:
    driver = _chrome(phone=True)
    try:
        _sign_in(driver, base_url, DEMO_DSL)
        _open(driver, base_url + reverse("safeguarding:concern-list") + "?status=under_review")
        driver.find_element(By.CSS_SELECTOR, "main table tbody a").click()
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith("Concern "))
        return _save_page(driver, "concern-phone.png", longest=CONCERN_TO_CHRONOLOGY)
    finally:
        driver.quit()


def _pupil_chronology(base_url: str) -> Path:
    """A pupil's chronology on a phone: the demo pupil whose staff report became a concern."""
    driver = _chrome(phone=True)
    try:
        _sign_in(driver, base_url, DEMO_DSL)
        _open(driver, base_url + reverse("safeguarding:pupil-list") + "?reference=RB-2026-045")
        driver.find_element(By.CSS_SELECTOR, "#pupils a").click()
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith("Pupil "))
        return _save_page(driver, "pupil-chronology-phone.png", longest=LONGEST_PHONE_PAGE)
    finally:
        driver.quit()


def _wait_for_map(driver) -> None:
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "school-map").get_attribute("data-markers"))


def _priority_list(base_url: str) -> Path:
    driver = _chrome(phone=False)
    try:
        _sign_in(driver, base_url, DEMO_MANAGER, admin=True)
        _open(driver, base_url + reverse("admin:priorities_priorityscore_changelist"))
        assert driver.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
        _wait_for_map(driver)
        return _save_page(driver, "priority-list.png", longest=1400)
    finally:
        driver.quit()


def _sso_pages(base_url: str) -> list[Path]:
    """The SSO's phone pages, at 390 px and at 1,280 px: My schools, logging a session, recording a search."""
    paths = []
    for phone in (True, False):
        suffix = "phone" if phone else "desktop"
        driver = _chrome(phone=phone)
        try:
            _sign_in(driver, base_url, DEMO_SSO)
            _open(driver, base_url + reverse("workspace:my-schools"))
            assert driver.find_element(By.TAG_NAME, "h1").text == "My schools"
            paths.append(_save_page(driver, f"sso-my-schools-{suffix}.png", longest=LONGEST_PHONE_PAGE * 2))
            driver.find_element(By.LINK_TEXT, "PSHE or curriculum session").click()
            WebDriverWait(driver, 20).until(lambda d: "PSHE" in d.find_element(By.TAG_NAME, "h1").text)
            paths.append(_save_page(driver, f"sso-log-session-{suffix}.png", longest=LONGEST_PHONE_PAGE))
            _open(driver, base_url + reverse("searches:record", args=["eip"]))
            driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CLASS_NAME, "govuk-error-summary"))
            paths.append(_save_page(driver, f"sso-record-search-{suffix}.png", longest=LONGEST_PHONE_PAGE * 3))
            _open(driver, base_url + reverse("workspace:concerns-passed"))
            paths.append(_save_page(driver, f"sso-concerns-passed-{suffix}.png", longest=LONGEST_PHONE_PAGE))
            _open(driver, base_url + reverse("workspace:youth-service-list"))
            paths.append(_save_page(driver, f"sso-youth-services-{suffix}.png", longest=LONGEST_PHONE_PAGE))
        finally:
            driver.quit()
    return paths


def _activity_summary(base_url: str) -> list[Path]:
    """The counts of SSO activity a DSL sees for their school, at 390 px and 1,280 px."""
    paths = []
    for phone in (True, False):
        driver = _chrome(phone=phone)
        try:
            _sign_in(driver, base_url, DEMO_DSL)
            _open(driver, base_url + reverse("workspace:activity-summary"))
            name = f"dsl-activity-summary-{'phone' if phone else 'desktop'}.png"
            paths.append(_save_page(driver, name, longest=LONGEST_PHONE_PAGE))
        finally:
            driver.quit()
    return paths


# The BCU manager's start page, where they land after signing in.
DESK_DESKTOP_LONGEST = 2300


def _desk(*, phone: bool):
    def take(base_url: str) -> Path:
        driver = _chrome(phone=phone)
        try:
            _sign_in(driver, base_url, DEMO_MANAGER, admin=True)
            assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Deployment desk")
            _wait_for_map(driver)
            name, longest = ("desk-phone.png", 2600) if phone else ("desk.png", DESK_DESKTOP_LONGEST)
            return _save_page(driver, name, longest=longest)
        finally:
            driver.quit()

    return take


# One test: a transactional test flushes the database when it ends, data migrations' rows included.
def test_documentation_screenshots(demo):
    for take in (
        _dsl_dashboard,
        _concern,
        _pupil_chronology,
        _priority_list,
        _sso_pages,
        _activity_summary,
        _desk(phone=False),
        _desk(phone=True),
    ):
        paths = take(demo)
        for path in paths if isinstance(paths, list) else [paths]:
            assert path.stat().st_size > 10_000, f"{path.name} looks empty"
