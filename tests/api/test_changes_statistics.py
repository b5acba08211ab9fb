"""Statistics refreshes in the change feed: a search, concern or activity written at a school of the
client's authorities tells it which statistics resource to read again, for which months; one
entry per resource and authority per transaction."""

import datetime

import pytest
from django.db import transaction

from api.models import Change, Scope
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import SchoolFactory
from tests.factories.searches import LONDON, SearchRecordFactory
from tests.factories.workspace import ActivityFactory

from .conftest import make_council
from .test_changes import keyed, read_all

pytestmark = pytest.mark.django_db


def test_a_search_recorded_is_a_refresh_of_its_authoritys_search_statistics_for_its_month(council):
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    SearchRecordFactory(school=school, searched_at=datetime.datetime(2026, 10, 14, 11, 30, tzinfo=LONDON))
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [("search_statistics", council.authority.gss_code, False)]
    assert changes[0]["search_statistics"] == {
        "local_authority": council.authority.gss_code,
        "date_from": "2026-10-01",
        "date_to": "2026-10-31",
    }
    assert changes[0]["school"] is None


def test_a_search_late_in_the_evening_counts_in_its_london_month(council):
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    # 23:30 UTC on 31 August is 00:30 on 1 September in London (summer time).
    SearchRecordFactory(school=school, searched_at=datetime.datetime(2026, 8, 31, 23, 30, tzinfo=datetime.UTC))
    changes, _ = read_all(council, cursor)
    assert changes[0]["search_statistics"]["date_from"] == "2026-09-01"


def test_a_concern_logged_is_a_refresh_of_concern_statistics(council):
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    concern = ConcernFactory(school=school)
    changes, _ = read_all(council, cursor)
    month = concern.created_at.astimezone(LONDON).date().replace(day=1)
    assert keyed(changes) == [("concern_statistics", council.authority.gss_code, False)]
    assert changes[0]["concern_statistics"]["date_from"] == month.isoformat()


def test_an_activity_logged_and_deleted_refreshes_the_activity_summary_each_time(council):
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    activity = ActivityFactory(school=school, occurred_on=datetime.date(2026, 11, 2))
    logged, cursor = read_all(council, cursor)
    activity.delete()
    deleted, _ = read_all(council, cursor)
    for changes in (logged, deleted):
        assert keyed(changes) == [("activity_summary", council.authority.gss_code, False)]
        assert changes[0]["activity_summary"]["date_to"] == "2026-11-30"


def test_writes_of_one_transaction_are_one_refresh_spanning_their_months(council):
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    with transaction.atomic():
        ActivityFactory(school=school, occurred_on=datetime.date(2026, 9, 15))
        ActivityFactory(school=school, occurred_on=datetime.date(2026, 11, 2))
        ActivityFactory(school=school, occurred_on=datetime.date(2026, 10, 1))
    changes, _ = read_all(council, cursor)
    assert [change["activity_summary"] for change in changes] == [
        {"local_authority": council.authority.gss_code, "date_from": "2026-09-01", "date_to": "2026-11-30"}
    ]


def test_a_search_moved_to_another_month_refreshes_both_months(council):
    school = SchoolFactory(local_authority=council.authority)
    search = SearchRecordFactory(school=school, searched_at=datetime.datetime(2026, 10, 14, 11, 30, tzinfo=LONDON))
    _, cursor = read_all(council)
    search.searched_at = datetime.datetime(2026, 8, 3, 9, 0, tzinfo=LONDON)
    search.save()
    changes, _ = read_all(council, cursor)
    assert changes[0]["search_statistics"]["date_from"] == "2026-08-01"
    assert changes[0]["search_statistics"]["date_to"] == "2026-10-31"


def test_a_search_moved_to_another_authoritys_school_refreshes_both_authorities(council, other_council):
    search = SearchRecordFactory(school=SchoolFactory(local_authority=council.authority))
    other_school = SchoolFactory(local_authority=other_council.authority)
    _, cursor = read_all(council)
    _, other_cursor = read_all(other_council)
    search.school = other_school
    search.save()
    assert keyed(read_all(council, cursor)[0]) == [("search_statistics", council.authority.gss_code, False)]
    assert keyed(read_all(other_council, other_cursor)[0]) == [
        ("search_statistics", other_council.authority.gss_code, False)
    ]


def test_a_search_not_at_a_school_is_no_councils_refresh(council):
    _, cursor = read_all(council)
    SearchRecordFactory(school=None, location="Custody suite, Central police station")
    assert Change.objects.filter(kind="search_statistics", client__isnull=True).count() == 0
    assert read_all(council, cursor)[0] == []


def test_another_authoritys_statistics_are_not_seen(council, other_council):
    _, cursor = read_all(council)
    ConcernFactory(school=SchoolFactory(local_authority=other_council.authority))
    assert read_all(council, cursor)[0] == []


def test_a_refresh_is_seen_only_with_its_resources_scope(db):
    council = make_council(scopes=[Scope.SCHOOLS_READ, Scope.ACTIVITY_STATS])
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    ConcernFactory(school=school)
    SearchRecordFactory(school=school)
    ActivityFactory(school=school)
    assert [change["type"] for change in read_all(council, cursor)[0]] == ["activity_summary"]


def test_a_client_granted_an_authority_reads_its_statistics_again_for_every_period(council):
    from tests.factories.schools import LocalAuthorityFactory

    authority = LocalAuthorityFactory()
    _, cursor = read_all(council)
    council.client.local_authorities.add(authority)
    changes, _ = read_all(council, cursor)
    assert [(change["type"], change[change["type"]]) for change in changes] == [
        (kind, {"local_authority": authority.gss_code, "date_from": None, "date_to": None})
        for kind in ("search_statistics", "concern_statistics", "activity_summary")
    ]


def test_a_refresh_rolled_back_with_its_savepoint_is_written_again_by_the_next_write(council):
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ActivityFactory(school=school, occurred_on=datetime.date(2026, 9, 15))
                raise RuntimeError("the form failed")
        except RuntimeError:
            pass
        ActivityFactory(school=school, occurred_on=datetime.date(2026, 11, 2))
    changes, _ = read_all(council, cursor)
    assert [change["activity_summary"]["date_from"] for change in changes] == ["2026-11-01"]


def test_a_page_of_refreshes_costs_no_query_more_than_a_page_of_one(council):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    ActivityFactory(school=school)
    council.http.get("/api/v1/changes/", {"since": cursor, "limit": 500})  # fills the caches
    with CaptureQueriesContext(connection) as one:
        council.http.get("/api/v1/changes/", {"since": cursor, "limit": 500})
    for month in range(1, 13):
        SearchRecordFactory(school=school, searched_at=datetime.datetime(2026, month, 3, 10, 0, tzinfo=LONDON))
        read_all(council)  # sealed apart: one refresh each
    with CaptureQueriesContext(connection) as many:
        response = council.http.get("/api/v1/changes/", {"since": cursor, "limit": 500})
    assert len(response.json()["changes"]) == 13
    assert len(many) == len(one)
