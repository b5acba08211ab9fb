"""Headless Chromium (Debian's chromium and chromium-driver, installed by .ci/system-packages)."""

import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
HEADLESS_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Per module, not per session: quitting Chrome closes its keep-alive sockets to the live server
# while the browser tests' shared SQLite connection may still be used from the server's threads;
# closed minutes later, in another test, they raised "DatabaseWrapper objects created in a thread".
@pytest.fixture(scope="module")
def _driver():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromedriver are not installed (run .ci/system-packages)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    # A phone-sized window: the portal must work there.
    options.add_argument("--window-size=390,844")
    # The console, where Chromium reports Content-Security-Policy violations (policy_violations).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


class _OneRequestAtATime:
    """Wraps the live server's application: requests run one at a time, and the end of a test can
    wait until none is running.

    On SQLite the live server's threads share the test's in-memory database connection. Two
    requests at once (a page's POST and a late request of the page before) ran inside each other's
    transactions; a straggler still running while pytest-django emptied the database after a test
    took that emptying into its own transaction, and the content types re-created then were rolled
    back under a cache that still named them (the next admin save failed on a foreign key)."""

    def __init__(self, application):
        self.application = application
        self._lock = threading.Lock()
        self._idle = threading.Condition()
        self._running = 0

    def __call__(self, environ, start_response):
        with self._idle:
            self._running += 1
        try:
            with self._lock:
                return self.application(environ, start_response)
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()

    def wait_until_idle(self, timeout: float = 30) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._running == 0, timeout=timeout)


def _one_request_at_a_time(live_server) -> _OneRequestAtATime:
    server = live_server.thread.httpd
    application = server.get_app()
    if not isinstance(application, _OneRequestAtATime):
        application = _OneRequestAtATime(application)
        server.set_app(application)
    return application


@pytest.fixture
def browser(_driver, live_server):
    from django.contrib.contenttypes.models import ContentType

    requests = _one_request_at_a_time(live_server)
    # The database was emptied after the last transactional test; a content type cached before
    # that may name a row that is no more (the admin's log of each change refers to one).
    ContentType.objects.clear_cache()
    _driver.delete_all_cookies()
    _driver.base_url = live_server.url
    yield _driver
    # Nothing of this test's pages may still be running when the database is emptied after it.
    _driver.get("about:blank")
    requests.wait_until_idle()
    _driver.delete_all_cookies()


def serious_accessibility_violations(driver) -> list[dict]:
    """axe-core's serious and critical violations on the current page."""
    driver.execute_script(AXE_SOURCE.read_text())
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done([{id: 'axe-error',"
        " impact: 'critical', help: String(e), nodes: []}]));"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def policy_violations(driver) -> list[str]:
    """Console messages since the last call about a Content-Security-Policy or Permissions-Policy
    (a blocked script, style or image, or a header Chromium does not understand)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Permissions-Policy" in entry["message"]
    ]


def pass_second_factor(driver, username: str) -> dict[str, list]:
    """After the password: at first sign-in, set up the authenticator app from the key the page
    shows and go on past the recovery codes; later, enter the app's code. Returns the accessibility
    violations of each MFA page passed. Does nothing when the page is not an MFA step."""
    from base64 import b32decode
    from urllib.parse import urlsplit

    from django.urls import reverse
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.factories.mfa import code_for

    def submit(code: str) -> None:
        driver.find_element(By.ID, "id_code").send_keys(code)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: urlsplit(d.current_url).path != path)

    checked = {}
    path = urlsplit(driver.current_url).path
    if path == reverse("mfa:setup"):
        checked["set up an authenticator app"] = serious_accessibility_violations(driver)
        # The key as a person would type it into their app (it sits in a closed "details").
        secret = driver.find_element(By.ID, "mfa-secret").get_attribute("textContent").replace(" ", "")
        submit(f"{TOTP(b32decode(secret)).token():06d}")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Save your recovery codes"
        assert len(driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li")) == 10
        checked["recovery codes"] = serious_accessibility_violations(driver)
        path = urlsplit(driver.current_url).path
        driver.find_element(By.LINK_TEXT, "Continue").click()
        WebDriverWait(driver, 20).until(lambda d: urlsplit(d.current_url).path != path)
    elif path == reverse("mfa:verify"):
        checked["enter a code"] = serious_accessibility_violations(driver)
        submit(code_for(TOTPDevice.objects.get(user__username=username, confirmed=True)))
    return checked
