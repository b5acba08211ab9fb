import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Scope
from tests.factories.officers import UserFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import SchoolFactory
from tests.factories.searches import SearchRecordFactory

from .conftest import make_council

pytestmark = pytest.mark.django_db

CONCERNS = "/api/v1/concern-statistics/"
SEARCHES = "/api/v1/search-statistics/"
OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
OCTOBER_MONTH = {"month": "2026-10"}


def _row(council, urn: str, **params) -> dict:
    response = council.http.get(CONCERNS, params)
    assert response.status_code == 200, response.content
    return next(row for row in response.json()["results"] if row["urn"] == urn)


def test_concern_counts_of_one_to_four_are_suppressed(council):
    school = SchoolFactory(local_authority=council.authority)
    ConcernFactory.create_batch(3, school=school, category="online")
    row = _row(council, school.urn)
    assert row["total"] == "c"
    assert row["by_category"]["online"] == "c"


def test_concern_counts_of_five_are_shown_with_no_contents(council):
    school = SchoolFactory(local_authority=council.authority)
    ConcernFactory.create_batch(5, school=school, category="online", description="Secret details of a child")
    response = council.http.get(CONCERNS)
    row = next(row for row in response.json()["results"] if row["urn"] == school.urn)
    assert (row["total"], row["by_category"]["online"], row["by_category"]["neglect"]) == (5, 5, 0)
    assert b"Secret details" not in response.content
    assert b"REF-" not in response.content


def test_a_lone_small_category_beside_a_shown_total_is_hidden_with_the_next_smallest(council):
    school = SchoolFactory(local_authority=council.authority)
    ConcernFactory.create_batch(6, school=school, category="online")
    ConcernFactory.create_batch(2, school=school, category="bullying")
    row = _row(council, school.urn)
    assert row["total"] == 8
    assert (row["by_category"]["bullying"], row["by_category"]["online"]) == ("c", "c")


def test_concern_date_range_is_inclusive_of_both_days(council):
    school = SchoolFactory(local_authority=council.authority)
    for day in (datetime.datetime(2026, 9, 30, 12), datetime.datetime(2026, 10, 1, 0, 5),
                datetime.datetime(2026, 10, 31, 23, 55), datetime.datetime(2026, 11, 1, 9)):  # fmt: skip
        ConcernFactory.create_batch(5, school=school, created_at=day.replace(tzinfo=datetime.UTC).astimezone())
    # 00:05 UTC on 1 Oct is 01:05 London; 23:55 UTC on 31 Oct is 23:55 London (GMT again).
    assert _row(council, school.urn, **OCTOBER)["total"] == 10


def test_concern_date_range_backwards_is_400_naming_the_field(council):
    response = council.http.get(CONCERNS, {"date_from": "2026-10-31", "date_to": "2026-10-01"})
    assert response.status_code == 400
    assert "date_to" in response.json()["errors"]


def test_search_statistics_count_searches_at_the_clients_schools_only(council, other_council):
    SearchRecordFactory.create_batch(
        6,
        school__local_authority=council.authority,
        searched_at=datetime.datetime(2026, 10, 14, 11, tzinfo=datetime.UTC),
    )
    SearchRecordFactory.create_batch(
        7,
        school__local_authority=other_council.authority,
        searched_at=datetime.datetime(2026, 10, 14, 11, tzinfo=datetime.UTC),
    )
    response = council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "search_type"})
    assert response.status_code == 200, response.content
    assert response.json()["total"]["searches"] == 6


def test_search_statistics_suppress_small_counts(council):
    SearchRecordFactory.create_batch(
        2,
        school__local_authority=council.authority,
        searched_at=datetime.datetime(2026, 10, 14, 11, tzinfo=datetime.UTC),
    )
    total = council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "age_band"}).json()["total"]
    assert total["searches"] == "c"


def test_search_statistics_keep_the_totals_out_of_the_rows(council):
    SearchRecordFactory.create_batch(
        6,
        school__local_authority=council.authority,
        searched_at=datetime.datetime(2026, 10, 14, 11, tzinfo=datetime.UTC),
    )
    body = council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "search_type"}).json()
    assert "total" not in [row["key"] for row in body["rows"]]
    assert sum(row["searches"] for row in body["rows"] if row["searches"] != "c") <= body["total"]["searches"]


def test_search_statistics_by_school_are_keyed_by_urn_to_join_the_schools_list(council):
    school = SchoolFactory(local_authority=council.authority)
    SearchRecordFactory.create_batch(
        5, school=school, searched_at=datetime.datetime(2026, 10, 14, 11, tzinfo=datetime.UTC)
    )
    rows = council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "school"}).json()["rows"]
    assert [(row["key"], row["label"], row["searches"]) for row in rows] == [(school.urn, school.name, 5)]
    listed = council.http.get("/api/v1/schools/").json()["results"]
    assert [row["urn"] for row in listed] == [school.urn]


def test_search_statistics_by_bcu_are_keyed_by_bcu_code(council):
    school = SchoolFactory(local_authority=council.authority)
    records = SearchRecordFactory.create_batch(
        5, school=school, searched_at=datetime.datetime(2026, 10, 14, 11, tzinfo=datetime.UTC)
    )
    rows = council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "bcu"}).json()["rows"]
    assert sorted(row["key"] for row in rows) == sorted(record.bcu.code for record in records)


def test_search_statistics_percentages_are_decimal_strings_or_c(council):
    SearchRecordFactory.create_batch(
        6,
        school__local_authority=council.authority,
        searched_at=datetime.datetime(2026, 10, 14, 11, tzinfo=datetime.UTC),
    )
    body = council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "search_type"}).json()
    shares = {row["share_of_searches_pct"] for row in body["rows"]} | {body["total"]["share_of_searches_pct"]}
    assert "100.0" in shares
    assert all(share is None or share == "c" or Decimal(share) >= 0 for share in shares)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "age_band"}, "month"),
        ({**OCTOBER_MONTH}, "group_by"),
        ({**OCTOBER_MONTH, "group_by": "officer"}, "group_by"),
        ({"month": "2026-10-01", "group_by": "age_band"}, "month"),
        ({**OCTOBER, "group_by": "age_band"}, "date_from"),
        # The month still going on: published only once it is over.
        ({"month": f"{datetime.date.today():%Y-%m}", "group_by": "age_band"}, "month"),
    ],
)
def test_search_statistics_bad_query_is_400_naming_the_field(council, params, field):
    response = council.http.get(SEARCHES, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_search_statistics_need_their_scope(db):
    council = make_council(scopes=[scope for scope in Scope.values if scope != Scope.SEARCHES_STATS])
    assert council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "age_band"}).status_code == 403


def test_search_statistics_refuse_anonymous_and_portal_logins(client):
    assert APIClient().get(SEARCHES, {**OCTOBER_MONTH, "group_by": "age_band"}).status_code == 401
    client.force_login(UserFactory(is_staff=True))
    assert client.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "age_band"}).status_code == 401


def test_search_statistics_query_count_does_not_grow_with_records_or_schools(council):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "school"}).status_code == 200
        return len(ctx.captured_queries)

    SearchRecordFactory.create_batch(2, school__local_authority=council.authority)
    few = queries()
    SearchRecordFactory.create_batch(12, school__local_authority=council.authority)
    assert queries() == few


def test_shared_with_police_is_suppressed_when_the_unshared_rest_is_small(council):
    school = SchoolFactory(local_authority=council.authority)
    ConcernFactory.create_batch(7, school=school, shared_with_police=True, shared_at=timezone.now())
    ConcernFactory.create_batch(1, school=school, shared_with_police=False)
    row = _row(council, school.urn)
    assert (row["total"], row["shared_with_police"]) == (8, "c")


def test_shared_with_police_is_shown_when_both_parts_are_large_enough(council):
    school = SchoolFactory(local_authority=council.authority)
    ConcernFactory.create_batch(5, school=school, shared_with_police=True, shared_at=timezone.now())
    ConcernFactory.create_batch(5, school=school, shared_with_police=False)
    assert _row(council, school.urn)["shared_with_police"] == 5


def test_search_statistics_read_the_clients_local_authorities_once(council):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert council.http.get(SEARCHES, {**OCTOBER_MONTH, "group_by": "school"}).status_code == 200
    grant_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "api_apiclient_local_authorities"' in q["sql"]]
    assert len(grant_reads) == 1
