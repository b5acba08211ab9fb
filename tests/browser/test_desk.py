"""The BCU manager's deployment desk in headless Chromium: a new manager posts an eligible officer
from the start page in at most four pages; the school maps show one marker per school of the list,
with no tile server, over the local authority and ward outlines when loaded; the pages pass axe;
the managers' admin lists fit 1,280 and 1,400 px."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions
from officers.models import Posting, TrainingCourse
from priorities.models import Band, Boundary, ScoringModel
from schools.models import Phase
from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_content_security_policy import admin_sign_in, visit
from tests.browser.test_portal import click_and_wait, heading
from tests.factories.officers import (
    BCUFactory,
    BCUManagerFactory,
    OfficerFactory,
    PostingFactory,
    make_eligible_officer,
)
from tests.factories.priorities import PriorityRunFactory, PriorityScoreFactory
from tests.factories.schools import SchoolFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the desk flow needs of the BCU manager group's rights (a transactional test may run after
# another one's flush, which drops what the data migrations made).
MANAGER_MODELS = [
    ("officers", "officer"),
    ("officers", "posting"),
    ("officers", "bcu"),
    ("officers", "trainingrecord"),
    ("officers", "suitabilityassessment"),
    ("schools", "school"),
    ("schools", "dslcontact"),
    ("priorities", "priorityscore"),
    ("priorities", "partneradvice"),
    ("searches", "searchrecord"),
]


# The required courses of migration officers/0007, as its flushed rows would be.
REQUIRED_COURSES = [
    ("SSO-ADB", "Adultification bias", "adultification_bias", 24),
    ("SSO-CC", "Cultural competency", "cultural_competency", 36),
    ("SSO-SGC", "Safeguarding children", "safeguarding_children", 12),
    ("SSO-TIP", "Trauma-informed practice", "trauma_informed", 36),
]


@pytest.fixture
def riverbank():
    Group.objects.get_or_create(name=BCU_MANAGER_GROUP)
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, MANAGER_MODELS)
    if not ScoringModel.objects.filter(is_active=True).exists():
        ScoringModel.objects.create(name="Standard", is_active=True)
    for code, name, category, months in REQUIRED_COURSES:
        TrainingCourse.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": category, "validity_months": months, "required_for_sso": True},
        )
    return BCUFactory(name="Riverbank BCU")


def _scored(run, bcu, name, *, band, rank, covered=False, **school):
    score = PriorityScoreFactory(
        run=run, school=SchoolFactory(name=name, bcu=bcu, phase=Phase.SECONDARY, **school), band=band, rank_in_bcu=rank
    )
    if covered:
        PostingFactory(school=score.school, officer=OfficerFactory(bcu=bcu), start_date=datetime.date(2020, 1, 1))
    return score.school


@pytest.fixture
def desk_data(riverbank):
    run = PriorityRunFactory()
    top = _scored(run, riverbank, "Top Academy", band=Band.HIGH, rank=1, easting=531000, northing=181000)
    _scored(run, riverbank, "Second Academy", band=Band.HIGH, rank=2, easting=532000, northing=182000)
    _scored(run, riverbank, "Covered Academy", band=Band.MEDIUM, rank=3, covered=True, easting=530000, northing=180000)
    _scored(run, riverbank, "Quiet Academy", band=Band.LOW, rank=4, easting=533000, northing=179000)
    hartwell = BCUFactory(name="Hartwell BCU")
    _scored(run, hartwell, "Hartwell School", band=Band.HIGH, rank=1, easting=540000, northing=185000)
    today = timezone.localdate()
    ready = make_eligible_officer(on=today, bcu=riverbank, first_name="Robin", last_name="Ready")
    make_eligible_officer(on=today, bcu=riverbank, first_name="Pat", last_name="Probation", probation_end_date=today)
    return {"top": top, "ready": ready}


def _wait_for_markers(browser) -> int:
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "school-map").get_attribute("data-markers") is not None
    )
    return len(browser.find_elements(By.CSS_SELECTOR, "#school-map .school-marker"))


def test_a_new_manager_posts_an_eligible_officer_to_the_top_vacant_school_in_four_pages(browser, riverbank, desk_data):
    BCUManagerFactory(username="new-manager", bcus=[riverbank])
    admin_sign_in(browser, "new-manager")  # the password, then setting up the authenticator app
    pages = [urlsplit(browser.current_url).path]

    # 1. The start page, for their BCU.
    assert pages[0] == reverse("desk:start")
    assert heading(browser) == "Deployment desk: Riverbank BCU"
    first = browser.find_element(By.CSS_SELECTOR, "#vacant-high tbody tr")
    assert "Top Academy" in first.text

    # 2. "Post an officer": the form with the school chosen and eligible officers first.
    click_and_wait(browser, first.find_element(By.CSS_SELECTOR, "a.desk-post"))
    pages.append(urlsplit(browser.current_url).path)
    chooser = Select(browser.find_element(By.ID, "id_officer"))
    groups = [group.get_attribute("label") for group in browser.find_elements(By.CSS_SELECTOR, "#id_officer optgroup")]
    assert groups[0].endswith(": Riverbank BCU") and groups[0].startswith("Eligible on")
    assert groups[-1].startswith("Blocked on")
    chooser.select_by_value(str(desk_data["ready"].pk))

    # 3. Saved.
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[name=_save]"))
    pages.append(urlsplit(browser.current_url).path)

    assert "was added successfully" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    posting = Posting.objects.get(school=desk_data["top"])
    assert (posting.officer, posting.role, posting.start_date) == (desk_data["ready"], "primary", timezone.localdate())
    assert len(pages) <= 4, pages


def test_the_start_page_map_has_a_marker_per_school_of_its_table_and_passes_axe(browser, riverbank, desk_data):
    BCUManagerFactory(username="manager", bcus=[riverbank])
    admin_sign_in(browser, "manager")

    markers = _wait_for_markers(browser)

    rows = browser.find_elements(By.CSS_SELECTOR, "#map-table tbody tr")
    assert markers == len(rows) == 4
    # No tile URL is set: no tile is asked for, the markers stand on their own.
    assert browser.find_elements(By.CSS_SELECTOR, "#school-map img.leaflet-tile") == []
    assert serious_accessibility_violations(browser) == []


def _square(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


def test_the_start_page_map_draws_local_authority_and_ward_outlines_under_the_markers(browser, riverbank, desk_data):
    # Top Academy (531000 E, 181000 N) is at about 51.513 N, 0.114 W.
    riverbank_la = desk_data["top"].local_authority
    riverbank_la.name = "Riverbank"
    riverbank_la.save()
    ward = WardFactory(name="Alder Vale", local_authority=riverbank_la)
    for owner, square in [
        ({"local_authority": riverbank_la}, _square(-0.16, 51.49, -0.06, 51.54)),
        ({"ward": ward}, _square(-0.13, 51.50, -0.10, 51.53)),
    ]:
        Boundary.objects.create(**owner, geometry=square, source="tiny.geojson", imported_at=timezone.now())
    BCUManagerFactory(username="manager", bcus=[riverbank])
    admin_sign_in(browser, "manager")

    markers = _wait_for_markers(browser)
    map_element = browser.find_element(By.ID, "school-map")

    assert markers == 4
    assert map_element.get_attribute("data-outlines") == "2"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".leaflet-outlines-pane path.map-outline-wards")) == 1
    assert (
        len(browser.find_elements(By.CSS_SELECTOR, ".leaflet-outlines-pane path.map-outline-local_authorities")) == 1
    )
    assert browser.find_elements(By.CSS_SELECTOR, "#school-map img.leaflet-tile") == []  # no tile URL, no network
    assert browser.find_element(By.ID, "school-map-outline-key").is_displayed()
    # Under the markers: where a marker stands, a click finds the marker, not the ward.
    on_top = browser.execute_script(
        "const marker = document.querySelector('#school-map .school-marker');"
        "marker.scrollIntoView({block: 'center'});"
        "const r = marker.getBoundingClientRect();"
        "return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).getAttribute('class');"
    )
    assert "school-marker" in on_top
    # The ward names itself.
    browser.execute_script(
        "document.querySelector('path.map-outline-wards').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))"
    )
    tooltip = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, ".leaflet-tooltip"))
    assert tooltip.get_attribute("textContent") == "Alder Vale ward, Riverbank"
    assert serious_accessibility_violations(browser) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [("", 5), ("?band__exact=high", 3), ("?bcu__id__exact={riverbank}&band__exact=high", 2)],
    ids=["every school", "high band", "riverbank high band"],
)
def test_the_priority_list_map_has_one_marker_per_school_of_the_filtered_list(
    browser, riverbank, desk_data, filters, expected
):
    BCUManagerFactory(username="manager", bcus=[riverbank])
    admin_sign_in(browser, "manager")

    visit(browser, reverse("admin:priorities_priorityscore_changelist") + filters.format(riverbank=riverbank.pk))
    markers = _wait_for_markers(browser)

    listed = len(browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr"))
    assert markers == listed == expected


def test_a_marker_popup_gives_rank_band_officer_and_links(browser, riverbank, desk_data):
    BCUManagerFactory(username="manager", bcus=[riverbank])
    admin_sign_in(browser, "manager")
    visit(browser, reverse("admin:priorities_priorityscore_changelist") + "?band__exact=medium")
    _wait_for_markers(browser)

    browser.execute_script(
        "document.querySelector('#school-map .school-marker').dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    # Leaflet fades a popup in: read and check it once shown in full.
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script(
            "const p = document.querySelector('.leaflet-popup'); return p && getComputedStyle(p).opacity === '1';"
        )
    )
    popup = browser.find_element(By.CSS_SELECTOR, ".leaflet-popup-content")
    text = popup.get_attribute("textContent")  # part of it may lie outside the phone-sized map

    assert "Covered Academy" in text
    assert "Rank 3 in Riverbank BCU, Medium band" in text
    assert "Current SSO: " in text
    links = {
        link.get_attribute("textContent"): link.get_attribute("href") for link in popup.find_elements(By.TAG_NAME, "a")
    }
    assert set(links) == {"School", "Why this rank"}
    assert serious_accessibility_violations(browser) == []


# The admin lists BCU managers use, each filled with a row or two: none may hide a column behind an
# inner scroll at desktop widths.
MANAGER_LISTS = [
    "admin:priorities_priorityscore_changelist",
    "admin:officers_officer_changelist",
    "admin:officers_posting_changelist",
    "admin:officers_trainingrecord_changelist",
    "admin:schools_school_changelist",
    "admin:searches_searchrecord_changelist",
    "admin:officers_suitabilityassessment_changelist",
    "admin:schools_dslcontact_changelist",
    "admin:priorities_partneradvice_changelist",
    "admin:officers_officer_vacancies",
    "admin:officers_officer_training_compliance",
    "desk:start",
]


@pytest.mark.parametrize("width", [1280, 1400])
def test_the_managers_lists_fit_the_window_and_export_does_not_overlap(browser, riverbank, desk_data, width):
    BCUManagerFactory(username="manager", bcus=[riverbank])
    admin_sign_in(browser, "manager")
    browser.set_window_size(width, 900)
    try:
        overflowing = {}
        for name in MANAGER_LISTS:
            visit(browser, reverse(name))
            overflowing[name] = browser.execute_script(
                "return [...document.querySelectorAll('.results, #content-main, .desk-table')]"
                ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.id);"
            )
        overlap = _export_button_overlaps(browser)
    finally:
        browser.set_window_size(390, 844)

    assert {name: found for name, found in overflowing.items() if found} == {}
    assert overlap == []


def _export_button_overlaps(browser) -> list[str]:
    """On the priority list: what the "Export CSV" button's box covers (the title's text, the map)."""
    visit(browser, reverse("admin:priorities_priorityscore_changelist"))
    # The map's data request ends before the test does (and its database goes away).
    _wait_for_markers(browser)
    return browser.execute_script(
        """
        const button = [...document.querySelectorAll('.object-tools a')]
          .find(a => a.textContent.includes('Export CSV'));
        if (!button) { return ['no Export CSV button']; }
        const box = button.getBoundingClientRect();
        return [...document.querySelectorAll('#content h1, #content h1 + p, #school-map, #changelist-search')]
          .filter(e => { const r = e.getBoundingClientRect();
            return r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom; })
          .map(e => e.id || e.tagName);
        """
    )
