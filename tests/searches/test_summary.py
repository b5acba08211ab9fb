import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.officers import OfficerFactory
from tests.factories.searches import SearchRecordFactory

pytestmark = pytest.mark.django_db

OCTOBER = {"month": "2026-10"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("bcu_manager", 200),
        ("council_reader", 200),
        ("sso", 403),
        ("dsl", 403),
        ("plain_staff", 403),
    ],
)
def test_summary_is_for_council_readers_and_bcu_managers(client_as, role, status):
    response = client_as(role).get(reverse("searches:summary"), OCTOBER)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_council_reader_sees_suppressed_figures_without_school_or_officer_detail(client_as):
    officer = OfficerFactory(first_name="Quentin", last_name="Ashdown")
    SearchRecordFactory.create_batch(6, officer=officer, school__name="Pemberton Academy")
    SearchRecordFactory.create_batch(3, officer=officer, self_defined_ethnicity="B1")
    response = client_as("council_reader").get(
        reverse("searches:summary"), {**OCTOBER, "school": "1", "officer": str(officer.pk)}
    )
    content = response.content.decode()
    assert "Pemberton Academy" not in content
    assert "Ashdown" not in content
    assert "as CSV</a>" not in content
    ethnic = response.context["tables"][0]["rows"]
    assert [row["searches"] for row in ethnic if row["searches"]] == ["c", "c", 9]
    assert [table["group_by"] for table in response.context["tables"]] == [
        "ethnic_group",
        "age_band",
        "search_type",
        "bcu",
    ]


def test_summary_refuses_a_month_it_does_not_offer_as_a_form_error(client_as):
    response = client_as("council_reader").get(reverse("searches:summary"), {"month": "2019-13"})
    assert "Select a valid choice" in response.content.decode()
    assert response.context["tables"] == []


def test_summary_covers_exactly_the_chosen_calendar_month(client_as):
    london = zoneinfo.ZoneInfo("Europe/London")
    late = datetime.time(23, 30)
    for day, count in ((30, 1), (31, 3)):
        at = datetime.datetime.combine(datetime.date(2026, 9 if day == 30 else 10, day), late, tzinfo=london)
        SearchRecordFactory.create_batch(count, searched_at=at)
    for day, count in ((1, 3), (1, 1)):
        at = datetime.datetime.combine(datetime.date(2026, 10 if count == 3 else 11, day), late, tzinfo=london)
        SearchRecordFactory.create_batch(count, searched_at=at)
    response = client_as("council_reader").get(reverse("searches:summary"), OCTOBER)
    total_row = response.context["tables"][0]["rows"][-1]
    assert total_row["searches"] == 6  # 1 and 31 October; not 30 September or 1 November


def test_summary_offers_no_free_dates_to_difference_two_periods(client_as):
    response = client_as("council_reader").get(
        reverse("searches:summary"), {"date_from": "2026-10-01", "date_to": "2026-10-30"}
    )
    form = response.context["form"]
    assert set(form.fields) == {"month", "bcu"}
    assert form.cleaned_data["date_to"] != datetime.date(2026, 10, 30)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("searches:summary"), OCTOBER).status_code == 200
    return len(ctx.captured_queries)


def test_summary_queries_do_not_grow_with_searches(client_as):
    client = client_as("council_reader")
    SearchRecordFactory.create_batch(2)
    with_two = _queries(client)
    SearchRecordFactory.create_batch(25)
    assert _queries(client) == with_two
