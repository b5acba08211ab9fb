"""Every portal page fits a phone (390 px) and a desktop (1,280 px): the page never scrolls
sideways, and no table cell's content is cut off.

The pages are found in the URLconf (every named URL outside the admin, the API and the health
check), so a new page is measured without being listed here; a page whose URL takes an argument
needs a way to build that argument in ``URL_ARGUMENTS`` (the test fails until it has one). Each
page is opened by each portal role (DSL, SSO, head teacher, member of staff, council reader,
and signed out); pages a role cannot open (not 200 HTML to a plain GET) are skipped for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from schools.models import StaffRole
from searches.models import SearchType
from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, HEADLESS_FLAGS
from tests.data_migrations import restore_data_migration_rows
from tests.factories.casework import FileTransferFactory, PoliceAttendanceFactory, ProfessionalChallengeFactory
from tests.factories.invitations import InvitationFactory, token_of
from tests.factories.mfa import verified_login
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.safeguarding import (
    BodyMapMarkFactory,
    ConcernActionFactory,
    ConcernFactory,
    StaffReportFactory,
    TaskFactory,
)
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory
from tests.factories.searches import SearchRecordFactory
from tests.factories.statements import DraftStatementFactory, SignedStatementFactory
from tests.factories.workspace import ActivityFactory, TouchdownPointFactory, YouthServiceFactory, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844, "pixelRatio": 2}
DESKTOP = (1280, 900)
# Not portal pages: the admin (its own layout), the API (JSON) and the health check.
OUTSIDE_THE_PORTAL = ("admin/", "api/", "health/")
# Tables of counts, 15 to 20 columns wide (a column per status and category, per age band and
# share): on a desktop too they scroll inside their labelled box ("scrolls sideways"), and the
# page itself must still fit. Every list of records fits.
WIDE_COUNT_TABLES = {"safeguarding:statistics", "searches:summary"}

# Each part of the page that is wider than the window, and each cut-off table cell: measured in
# the page. A scroll box (a wide table on a phone) may scroll inside itself on a phone, never on a
# desktop, where it would hide a column behind the edge ("Under revie").
MEASURE = """
const viewport = document.documentElement.clientWidth;
const problems = [];
if (document.documentElement.scrollWidth > viewport) {
  problems.push(`page is ${document.documentElement.scrollWidth} px wide`);
}
const describe = (element) => {
  const classes = String(element.className || '').trim().split(/\\s+/).filter(Boolean).map(c => '.' + c).join('');
  const text = element.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
  return `${element.tagName.toLowerCase()}${classes} "${text}"`;
};
for (const element of document.querySelectorAll('main *')) {
  const style = getComputedStyle(element);
  const overflowing = element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0;
  if (!overflowing) continue;
  const inCell = element.closest('td, th') !== null;
  if (inCell && (['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis')) {
    problems.push(`cut off: ${describe(element)}`);
  } else if (arguments[0] && ['auto', 'scroll'].includes(style.overflowX)) {
    problems.push(`scrolls sideways: ${describe(element)} (${element.scrollWidth} px in ${element.clientWidth} px)`);
  }
}
return problems;
"""


def _chrome(*, phone: bool):
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
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


def portal_url_names(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(name, route) of every named URL of the portal: all but the admin's, the API's and /health/."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(OUTSIDE_THE_PORTAL):
            continue
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from portal_url_names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


class World:
    """A school as a DSL, its SSO, its head teacher and its staff see it, with a record of each
    kind a portal page shows; long names and every status, as a school's real records have."""

    def __init__(self) -> None:
        restore_data_migration_rows()  # groups and categories, flushed by an earlier browser test
        self.school = SchoolFactory(name="St Bartholomew's Church of England Voluntary Aided Primary School")
        self.other_school = SchoolFactory(name="Queen Elizabeth's Grammar School for Girls", ward=self.school.ward)
        self.dsl = UserFactory(username="dsl-widths", first_name="Dana", last_name="Lead")
        DSLContactFactory(school=self.school, user=self.dsl, name="Dana Lead")
        DSLContactFactory(school=self.other_school, user=self.dsl, name="Dana Lead", role="deputy")
        self.sso = UserFactory(username="sso-widths")
        self.officer = OfficerFactory(user=self.sso)
        for school in (self.school, self.other_school):
            PostingFactory(officer=self.officer, school=school, start_date=datetime.date(2024, 9, 2))
        self.head = UserFactory(username="head-widths", first_name="Morgan", last_name="Ashby")
        SchoolStaffFactory(school=self.school, user=self.head, role=StaffRole.HEAD_TEACHER)
        self.staff = UserFactory(username="staff-widths")
        SchoolStaffFactory(school=self.school, user=self.staff)
        from tests.factories.roles import council_reader

        self.council_reader = council_reader(username="council-widths")
        self.school.local_authority.council_readers.add(self.council_reader)
        statuses = ["open", "under_review", "referred", "closed"]
        self.concerns = []
        for number, status in enumerate(statuses * 3):
            concern = ConcernFactory(
                school=[self.school, self.other_school][number % 2],
                logged_by=self.dsl,
                status=status,
                outcome="no_further_action" if status == "closed" else "",
                severity="high",
                category="exploitation" if number % 3 else "mental_health",
                pupil_reference=f"STB-2026-{number:04d}",
                shared_with_police=number % 2 == 0,
                shared_at=timezone.now() if number % 2 == 0 else None,
                raised_by_sso=number % 4 == 1,
            )
            ConcernActionFactory(concern=concern, recorded_by=self.dsl, summary="Spoke with the pupil and parent.")
            self.concerns.append(concern)
        TouchdownPointFactory(school=self.school)
        self.search = SearchRecordFactory(officer=self.officer, school=self.school)
        self.activity = ActivityFactory(officer=self.officer, school=self.school, recorded_by=self.sso)
        self.youth_service = YouthServiceFactory(ward=self.school.ward, name="Riverbank Youth Hub and Detached Team")
        self.signed = SignedStatementFactory(school=self.school, version=1, signatory_name="Morgan Ashby")
        self.draft = DraftStatementFactory(school=self.school, version=2, drafted_by=self.dsl)
        self.invitation = InvitationFactory(school=self.school, email="new.teacher@school.invalid")
        # The school's safeguarding record: a staff report to triage, a task, a body-map mark, a
        # file received from the other school, a police attendance and a challenge.
        self.pupil = self.concerns[0].pupil
        self.staff_report = StaffReportFactory(
            school=self.school, reported_by=self.staff, pupil_reference=self.pupil.reference
        )
        self.task = TaskFactory(
            school=self.school,
            pupil=self.pupil,
            assigned_to=self.staff,
            created_by=self.dsl,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        BodyMapMarkFactory(concern=self.concerns[0], recorded_by=self.dsl)
        self.transfer = FileTransferFactory(from_school=self.other_school, to_school=self.school, sent_by=self.dsl)
        PoliceAttendanceFactory(school=self.school, pupil=self.pupil, recorded_by=self.dsl)
        self.challenge = ProfessionalChallengeFactory(school=self.school, pupil=self.pupil, opened_by=self.dsl)
        self.sessions = {}

    def users(self) -> dict[str, object]:
        return {
            "signed out": None,
            "DSL": self.dsl,
            "SSO": self.sso,
            "head teacher": self.head,
            "member of staff": self.staff,
            "council reader": self.council_reader,
        }


# How to build each argument of a portal URL that takes one: a list of keyword arguments (each
# is a page), from the world. A page added with an argument fails the test until it is declared.
URL_ARGUMENTS: dict[str, Callable[[World], list[dict]]] = {
    "safeguarding:concern-detail": lambda w: [{"concern_id": c.pk} for c in w.concerns[:4]],
    "safeguarding:concern-add-action": lambda w: [{"concern_id": w.concerns[0].pk}],
    "safeguarding:concern-change-status": lambda w: [{"concern_id": w.concerns[0].pk}],
    "safeguarding:concern-share": lambda w: [{"concern_id": w.concerns[0].pk}],
    "safeguarding:concern-notices-again": lambda w: [{"concern_id": w.concerns[0].pk}],
    "safeguarding:concern-add-attachment": lambda w: [{"concern_id": w.concerns[0].pk}],
    # A file, not a page.
    "safeguarding:attachment-download": lambda w: [],
    "invitations:staff-invitation-withdraw": lambda w: [{"invitation_id": w.invitation.pk}],
    "invitations:accept": lambda w: [{"token": token_of(w.invitation)}],
    "searches:record": lambda w: [{"search_type": search_type} for search_type in SearchType.values],
    "searches:my-search": lambda w: [{"search_id": w.search.pk}],
    "workspace:activity-create": lambda w: [{"category_id": category(kind).pk} for kind in _activity_kinds()],
    "workspace:activity-detail": lambda w: [{"activity_id": w.activity.pk}],
    "workspace:youth-service-edit": lambda w: [{"service_id": w.youth_service.pk}],
    "workspace:touchdown-point": lambda w: [{"school_id": w.school.pk}],
    "statements:draft": lambda w: [{"school_id": w.school.pk}],
    "statements:version": lambda w: [{"statement_id": w.signed.pk}, {"statement_id": w.draft.pk}],
    "statements:sign": lambda w: [{"statement_id": w.draft.pk}],
    "statements:publication": lambda w: [{"statement_id": w.signed.pk}],
    "statements:public": lambda w: [{"urn": w.school.urn}],
    "safeguarding:triage-report": lambda w: [{"report_id": w.staff_report.pk}],
    "safeguarding:pupil-detail": lambda w: [{"pupil_id": w.pupil.pk}],
    "safeguarding:task-create": lambda w: [{"pupil_id": w.pupil.pk}],
    "safeguarding:body-map": lambda w: [{"concern_id": w.concerns[0].pk}],
    "casework:transfer-detail": lambda w: [{"transfer_id": w.transfer.pk}],
    "casework:challenge-detail": lambda w: [{"challenge_id": w.challenge.pk}],
    # Forms posted from the pages above, not pages of their own.
    "safeguarding:triage-accept": lambda w: [],
    "safeguarding:triage-link": lambda w: [],
    "safeguarding:triage-close": lambda w: [],
    "safeguarding:task-complete": lambda w: [],
    "casework:transfer-acknowledge": lambda w: [],
    "casework:transfer-receipt": lambda w: [],
    "casework:challenge-respond": lambda w: [],
    "casework:challenge-escalate": lambda w: [],
    "casework:challenge-resolve": lambda w: [],
}


def _activity_kinds() -> list[str]:
    from workspace.models import ActivityDetails

    return list(ActivityDetails.values)


def portal_pages(world: World) -> list[str]:
    undeclared = []
    paths = []
    for name, route in sorted(portal_url_names()):
        if "<" not in route:
            paths.append(reverse(name))
        elif name in URL_ARGUMENTS:
            paths += [reverse(name, kwargs=kwargs) for kwargs in URL_ARGUMENTS[name](world)]
        else:
            undeclared.append(name)
    assert not undeclared, f"declare how to build the arguments of these pages in URL_ARGUMENTS: {undeclared}"
    return paths


def _session_cookie(user) -> str:
    client = Client()
    verified_login(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _pages_for(user, paths: list[str]) -> list[str]:
    """The pages that answer this login's GET with an HTML page (the others are not theirs)."""
    client = Client()
    if user is not None:
        verified_login(client, user)
    shown = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            shown.append(path)
    return shown


def test_every_portal_page_fits_a_phone_and_a_desktop(live_server):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromedriver are not installed (run .ci/system-packages)")
    world = World()
    paths = portal_pages(world)
    pages = {role: _pages_for(user, paths) for role, user in world.users().items()}
    cookies = {role: _session_cookie(user) for role, user in world.users().items() if user is not None}
    # Every role has pages of its own to measure (a broken sign-in would measure nothing).
    assert all(pages.values()), {role: len(found) for role, found in pages.items()}
    problems = []
    measured = 0
    for width, phone in (("390 px", True), ("1,280 px", False)):
        driver = _chrome(phone=phone)
        try:
            for role, found in pages.items():
                driver.delete_all_cookies()
                driver.get(live_server.url + reverse("login"))
                if role in cookies:
                    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookies[role], "path": "/"})
                for path in found:
                    driver.get(live_server.url + path)
                    measured += 1
                    boxes_must_fit = not phone and resolve(path).view_name not in WIDE_COUNT_TABLES
                    for problem in driver.execute_script(MEASURE, boxes_must_fit):
                        problems.append(f"{path} as {role} at {width}: {problem}")
        finally:
            driver.quit()
    assert measured > 60
    assert not problems, "\n".join(problems)
