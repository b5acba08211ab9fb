import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.officers import BCUFactory, OfficerFactory
from tests.factories.schools import LocalAuthorityFactory
from tests.factories.searches import PupilPopulationFactory, SearchRecordFactory

pytestmark = pytest.mark.django_db

OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
REPORT_URLS = {
    "admin:searches_searchrecord_report": OCTOBER,
    "admin:searches_searchrecord_report_csv": {**OCTOBER, "group_by": "ethnic_group"},
    "admin:searches_searchrecord_open_data": {"month": "2026-10"},
}


def _csv(response) -> list[list[str]]:
    # Every CSV export is streamed (core.csv_export.csv_download).
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("bcu_manager", 200),
        ("council_reader", 302),
        ("sso", 302),
        ("dsl", 302),
        ("plain_staff", 403),
    ],
)
@pytest.mark.parametrize("url_name", REPORT_URLS)
def test_only_bcu_managers_see_reports_and_exports(client_as, role, status, url_name):
    response = client_as(role).get(reverse(url_name), REPORT_URLS[url_name])
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


def _page_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", REPORT_URLS)
def test_report_queries_do_not_grow_with_searches(manager_client, url_name):
    url = reverse(url_name)
    SearchRecordFactory.create_batch(2)
    with_two = _page_queries(manager_client, url, REPORT_URLS[url_name])
    SearchRecordFactory.create_batch(25)
    assert _page_queries(manager_client, url, REPORT_URLS[url_name]) == with_two


def test_report_page_shows_suppressed_counts_and_a_chart_with_its_table(manager_client):
    SearchRecordFactory.create_batch(7, self_defined_ethnicity="W1")
    SearchRecordFactory.create_batch(2, self_defined_ethnicity="B2")
    response = manager_client.get(reverse("admin:searches_searchrecord_report"), OCTOBER)
    ethnic = response.context["tables"][0]
    assert [(row["label"], row["searches"]) for row in ethnic["rows"] if row["searches"]] == [
        ("Black, Black British, Caribbean or African", "c"),
        ("White", "c"),  # secondary suppression: the total (9) would reveal the 2
        ("All searches", 9),
    ]
    assert b'class="bar"' in response.content


def test_report_rejects_a_period_that_ends_before_it_starts(manager_client):
    response = manager_client.get(
        reverse("admin:searches_searchrecord_report"), {"date_from": "2026-10-31", "date_to": "2026-10-01"}
    )
    assert response.status_code == 200
    assert "must not be before its start" in response.context["form"].errors["date_to"][0]
    assert response.context["tables"] == []


def test_report_csv_refuses_bad_input_naming_the_field(manager_client):
    url = reverse("admin:searches_searchrecord_report_csv")
    response = manager_client.get(url, {**OCTOBER, "group_by": "postcode"})
    assert response.status_code == 400
    assert b"group_by" in response.content
    response = manager_client.get(url, {"date_from": "31/31/2026", "group_by": "bcu"})
    assert response.status_code == 400
    assert b"date_from" in response.content


def test_report_csv_has_a_header_the_groups_and_the_total_with_rates(manager_client):
    la = LocalAuthorityFactory()
    bcu = BCUFactory()
    bcu.local_authorities.add(la)
    PupilPopulationFactory(local_authority=la, ethnicity="W1", pupil_count=2000)
    PupilPopulationFactory(local_authority=la, ethnicity="B1", pupil_count=500)
    SearchRecordFactory.create_batch(10, officer__bcu=bcu, self_defined_ethnicity="W1")
    SearchRecordFactory.create_batch(5, officer__bcu=bcu, self_defined_ethnicity="B1")
    response = manager_client.get(
        reverse("admin:searches_searchrecord_report_csv"), {**OCTOBER, "group_by": "ethnic_group", "bcu": bcu.pk}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:5] == [
        "Self-defined ethnicity (5+1 broad groups)",
        "Searches",
        "Share of searches (%)",
        "Searches per 1,000 pupils",
        "Relative rate against White children",
    ]
    by_label = {row[0]: row for row in rows[1:]}
    # White 10 / 2,000 = 5.0 per 1,000; Black 5 / 500 = 10.0, twice the White rate.
    assert by_label["White"][1:5] == ["10", "66.7", "5.0", "1.00"]
    assert by_label["Black, Black British, Caribbean or African"][1:5] == ["5", "33.3", "10.0", "2.00"]
    assert by_label["All searches"][1] == "15"


def test_report_for_one_school_gives_no_rates(manager_client):
    search = SearchRecordFactory()
    SearchRecordFactory.create_batch(5, school=search.school)
    response = manager_client.get(
        reverse("admin:searches_searchrecord_report_csv"),
        {**OCTOBER, "group_by": "ethnic_group", "school": search.school.pk},
    )
    total = _csv(response)[-1]
    assert total[:4] == ["All searches", "6", "100.0", ""]


def test_report_page_for_other_breakdowns(manager_client):
    SearchRecordFactory.create_batch(5)
    for breakdown in ("school", "officer", "ethnicity", "observed_ethnic_group"):
        response = manager_client.get(
            reverse("admin:searches_searchrecord_report"), {**OCTOBER, "breakdown": breakdown}
        )
        assert response.context["tables"][-1]["group_by"] == breakdown


def test_open_data_download_refuses_a_malformed_month(manager_client):
    response = manager_client.get(reverse("admin:searches_searchrecord_open_data"), {"month": "2026-13"})
    assert response.status_code == 400
    assert b"YYYY-MM" in response.content


def test_open_data_download_is_the_months_suppressed_csv(manager_client):
    officer = OfficerFactory()
    SearchRecordFactory.create_batch(6, officer=officer)
    SearchRecordFactory(
        officer=officer, searched_at=datetime.datetime(2026, 11, 1, 0, 0, tzinfo=ZoneInfo("Europe/London"))
    )
    rows = _csv(manager_client.get(reverse("admin:searches_searchrecord_open_data"), {"month": "2026-10"}))
    assert rows[0][0] == "month"
    assert len(rows) == 2
    assert rows[1][7] == "6"


def test_tables_other_than_ethnicity_have_no_rate_columns(manager_client):
    SearchRecordFactory.create_batch(5)
    response = manager_client.get(
        reverse("admin:searches_searchrecord_report_csv"), {**OCTOBER, "group_by": "age_band"}
    )
    header = _csv(response)[0]
    assert header[0] == "Age band"
    assert "Searches per 1,000 pupils" not in header
    assert "Relative rate against White children" not in header


def test_report_offers_each_table_as_csv_with_the_same_filters(manager_client):
    response = manager_client.get(reverse("admin:searches_searchrecord_report"), OCTOBER)
    content = response.content.decode()
    assert "report/csv/?date_from=2026-10-01&amp;date_to=2026-10-31" in content
    assert content.count("as CSV</a>") == 4


def test_report_defaults_to_the_last_twelve_months_ending_today(manager_client):
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    first_day = today - datetime.timedelta(days=364)
    officer = OfficerFactory()
    SearchRecordFactory.create_batch(
        5, officer=officer, searched_at=datetime.datetime.combine(first_day, datetime.time(9), tzinfo=zone)
    )
    SearchRecordFactory.create_batch(
        5,
        officer=officer,
        searched_at=datetime.datetime.combine(first_day - datetime.timedelta(days=1), datetime.time(9), tzinfo=zone),
    )
    response = manager_client.get(reverse("admin:searches_searchrecord_report"))
    assert response.context["form"].cleaned_data["date_to"] == today
    assert response.context["tables"][0]["rows"][-1]["searches"] == 5


def test_report_csv_defuses_spreadsheet_formulas_in_names(manager_client):
    SearchRecordFactory.create_batch(5, officer__bcu__name="=HYPERLINK(1)", officer__bcu__code="X")
    response = manager_client.get(reverse("admin:searches_searchrecord_report_csv"), {**OCTOBER, "group_by": "bcu"})
    assert _csv(response)[1][0] == "'=HYPERLINK(1)"
