"""Pagination, ordering, conditional GET, throttling and query counts of the list endpoints."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters import FilterSet

from tests.factories.officers import PostingFactory
from tests.factories.schools import SchoolFactory

from .endpoints import ENDPOINT_IDS, ENDPOINTS

pytestmark = pytest.mark.django_db


EXPECTED_QUERIES = {"schools": 9, "training-compliance": 9, "concern-statistics": 7}


def _query_count(http, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_query_count_does_not_grow_with_page_size(council, endpoint):
    for _ in range(12):
        endpoint.make_row(council.authority)
    small_page = _query_count(council.http, endpoint.list_url, page_size=2)
    full_page = _query_count(council.http, endpoint.list_url, page_size=12)
    assert small_page == full_page
    # savepoint, token + client, the client's LA ids, count, page ids, page rows, release: 7.
    # Schools add two prefetches (current postings, latest priority scores); training
    # adds required courses, officers with BCU and their records (after the ids); concern
    # statistics: the counts.
    assert full_page == EXPECTED_QUERIES.get(endpoint.name, 7)


def test_schools_with_postings_query_count_does_not_grow_with_rows(council):
    for _ in range(2):
        PostingFactory(school__local_authority=council.authority)
    few = _query_count(council.http, "/api/v1/schools/")
    for _ in range(10):
        PostingFactory(school__local_authority=council.authority)
    assert _query_count(council.http, "/api/v1/schools/") == few


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_list_naming_no_filter_builds_no_filter_set(council, endpoint, monkeypatch):
    # A filter set given no values filters nothing; building one costs CPU on every page.
    endpoint.make_row(council.authority)
    monkeypatch.setattr(FilterSet, "__init__", _refuse_to_build)
    response = council.http.get(endpoint.list_url, {"page_size": 5})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def _refuse_to_build(*args, **kwargs):
    raise AssertionError("a filter set was built for a request naming none of its filters")


def test_pages_of_schools_with_equal_names_neither_overlap_nor_skip(council):
    schools = SchoolFactory.create_batch(7, local_authority=council.authority, name="Same Name Primary")
    seen = []
    for page in (1, 2, 3):
        response = council.http.get("/api/v1/schools/", {"ordering": "name", "page_size": 3, "page": page})
        seen += [row["urn"] for row in response.json()["results"]]
    assert sorted(seen) == sorted(school.urn for school in schools)


def test_ordering_parameter_orders_the_list(council):
    SchoolFactory(local_authority=council.authority, pupil_count=300)
    SchoolFactory(local_authority=council.authority, pupil_count=100)
    SchoolFactory(local_authority=council.authority, pupil_count=200)
    results = council.http.get("/api/v1/schools/", {"ordering": "-pupil_count"}).json()["results"]
    assert [row["pupil_count"] for row in results] == [300, 200, 100]


@pytest.mark.parametrize("page_size", ["0", "501", "100000", "ten", "-1"])
def test_page_size_outside_1_to_500_is_400_naming_it(council, page_size):
    response = council.http.get("/api/v1/schools/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["Enter a whole number from 1 to 500."]}


@pytest.mark.parametrize("page", ["0", "one", "last"])
def test_page_that_is_not_a_whole_number_from_1_is_400(council, page):
    response = council.http.get("/api/v1/schools/", {"page": page})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["page"])


def test_ordering_outside_the_declared_fields_is_400_listing_them(council):
    response = council.http.get("/api/v1/schools/", {"ordering": "nonsense"})
    assert response.status_code == 400
    assert response.json()["errors"]["ordering"] == [
        "Choose one of: name, -name, urn, -urn, updated_at, -updated_at, pupil_count, -pupil_count, "
        "fsm_percentage, -fsm_percentage."
    ]


def test_descending_ordering_is_accepted(council):
    first, second = SchoolFactory.create_batch(2, local_authority=council.authority)
    response = council.http.get("/api/v1/schools/", {"ordering": "-urn"})
    expected = sorted([first.urn, second.urn], reverse=True)
    assert [row["urn"] for row in response.json()["results"]] == expected


@pytest.mark.parametrize("url", ["/api/v1/training-compliance/", "/api/v1/concern-statistics/", "/api/v1/schools/"])
def test_a_query_parameter_the_endpoint_does_not_have_is_400(council, url):
    response = council.http.get(url, {"updated_sinse": "2026-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"updated_sinse": ["This endpoint has no such query parameter."]}


def test_list_parameters_are_not_accepted_on_a_detail(council):
    school = SchoolFactory(local_authority=council.authority)
    assert council.http.get(f"/api/v1/schools/{school.urn}/", {"page": "1"}).status_code == 400


def test_a_page_links_to_the_next_by_url_number_and_link_header(council):
    SchoolFactory.create_batch(3, local_authority=council.authority)
    response = council.http.get("/api/v1/schools/", {"page_size": 2})
    body = response.json()
    assert body["next_page"] == 2
    assert body["next"] == "http://testserver/api/v1/schools/?page=2&page_size=2"
    assert response["Link"] == f'<{body["next"]}>; rel="next"'
    last = council.http.get("/api/v1/schools/", {"page_size": 2, "page": 2})
    assert last.json()["next_page"] is None
    assert last["Link"] == '<http://testserver/api/v1/schools/?page_size=2>; rel="prev"'


def test_page_beyond_the_last_is_404(council):
    SchoolFactory(local_authority=council.authority)
    assert council.http.get("/api/v1/schools/", {"page": 2}).status_code == 404


def test_list_carries_an_etag_and_answers_304_when_it_matches(council):
    SchoolFactory(local_authority=council.authority)
    first = council.http.get("/api/v1/schools/")
    again = council.http.get("/api/v1/schools/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "Authorization" in first["Vary"]


def test_etag_changes_when_a_nested_posting_changes(council):
    school = SchoolFactory(local_authority=council.authority)
    before = council.http.get("/api/v1/schools/")["ETag"]
    PostingFactory(school=school, start_date=school.created_at.date())
    after = council.http.get("/api/v1/schools/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_clients_are_throttled_separately(council, other_council, settings):
    settings.API_THROTTLE_RATE = "2/min"
    assert council.http.get("/api/v1/schools/").status_code == 200
    assert council.http.get("/api/v1/schools/").status_code == 200
    assert council.http.get("/api/v1/schools/").status_code == 429
    assert other_council.http.get("/api/v1/schools/").status_code == 200


def test_a_row_deleted_between_finding_the_page_and_loading_it_is_left_out(council):
    from django.db.models import QuerySet

    from api.pagination import DeferredJoinPaginator
    from schools.models import School

    first, second = SchoolFactory.create_batch(2, local_authority=council.authority)

    class DeletesBeforeLoadingRows(QuerySet):
        def filter(self, *args, **kwargs):
            if isinstance(kwargs.get("pk__in"), list):  # the paginator's second query
                School.objects.filter(pk=second.pk).delete()
            return super().filter(*args, **kwargs)

    page = DeferredJoinPaginator(DeletesBeforeLoadingRows(model=School).order_by("pk"), 10).page(1)
    assert [school.pk for school in page] == [first.pk]
