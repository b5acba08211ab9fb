"""The council's SSO activity summary: counts only, the client's local authorities only, suppressed."""

import datetime

import pytest

from api.models import Scope
from tests.factories.schools import SchoolFactory
from tests.factories.workspace import ActivityFactory, category
from workspace.models import ActivityDetails

from .conftest import make_council

pytestmark = pytest.mark.django_db

URL = "/api/v1/activity-summary/"
NOVEMBER = datetime.date(2026, 11, 2)


def _rows(council, **params) -> dict:
    response = council.http.get(URL, {"month": "2026-11", "group_by": "category", **params})
    assert response.status_code == 200, response.content
    summary = response.json()
    return {row["label"]: row["activities"] for row in summary["rows"]} | {"All activities": summary["total"]}


def test_counts_are_by_category_with_a_total(council):
    school = SchoolFactory(local_authority=council.authority)
    ActivityFactory.create_batch(6, school=school, occurred_on=NOVEMBER)
    ActivityFactory.create_batch(
        5, school=school, occurred_on=NOVEMBER, category=category(ActivityDetails.SUPPORT), pupil_reference="P-1"
    )
    rows = _rows(council)
    assert rows == {"One-to-one support or mentoring": 5, "School visit or daily check": 6, "All activities": 11}


def test_only_the_clients_local_authorities_count(council):
    ActivityFactory.create_batch(6, school=SchoolFactory(local_authority=council.authority), occurred_on=NOVEMBER)
    ActivityFactory.create_batch(9, school=SchoolFactory(), occurred_on=NOVEMBER)
    assert _rows(council)["All activities"] == 6


def test_small_counts_and_a_lone_one_beside_the_total_are_suppressed(council):
    school = SchoolFactory(local_authority=council.authority)
    ActivityFactory.create_batch(8, school=school, occurred_on=NOVEMBER)
    ActivityFactory.create_batch(
        2, school=school, occurred_on=NOVEMBER, category=category(ActivityDetails.SUPPORT), pupil_reference="P-1"
    )
    rows = _rows(council)
    assert rows["One-to-one support or mentoring"] == "c"
    assert rows["School visit or daily check"] == "c"  # else 10 - 8 would give the hidden 2
    assert rows["All activities"] == 10


def test_no_activity_itself_and_no_pupil_reference_is_in_the_answer(council):
    school = SchoolFactory(local_authority=council.authority)
    ActivityFactory.create_batch(
        5,
        school=school,
        occurred_on=NOVEMBER,
        category=category(ActivityDetails.SUPPORT),
        pupil_reference="PUPIL-SECRET-1",
        notes="Secret note",
    )
    response = council.http.get(URL, {"month": "2026-11", "group_by": "school"})
    assert b"PUPIL-SECRET" not in response.content and b"Secret note" not in response.content


@pytest.mark.parametrize(
    "params", [{"month": "2026-13", "group_by": "category"}, {"month": "2026-11", "group_by": "officer"}, {}]
)
def test_bad_parameters_get_a_400_with_field_messages(council, params):
    response = council.http.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {"month", "group_by"}


def test_the_scope_is_required():
    council = make_council(scopes=[scope for scope in Scope.values if scope != Scope.ACTIVITY_STATS])
    assert council.http.get(URL, {"month": "2026-11", "group_by": "category"}).status_code == 403


def test_the_summary_makes_a_fixed_number_of_queries(council, django_assert_num_queries):
    school = SchoolFactory(local_authority=council.authority)
    ActivityFactory.create_batch(3, school=school, occurred_on=NOVEMBER)
    council.http.get(URL, {"month": "2026-11", "group_by": "school"})  # warms the token's client
    ActivityFactory.create_batch(20, school=SchoolFactory(local_authority=council.authority), occurred_on=NOVEMBER)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        council.http.get(URL, {"month": "2026-11", "group_by": "school"})
    ActivityFactory.create_batch(20, school=SchoolFactory(local_authority=council.authority), occurred_on=NOVEMBER)
    with django_assert_num_queries(len(before)):
        council.http.get(URL, {"month": "2026-11", "group_by": "school"})


def test_rows_are_keyed_by_the_schools_urn_and_the_total_is_apart(council):
    school = SchoolFactory(local_authority=council.authority)
    ActivityFactory.create_batch(6, school=school, occurred_on=NOVEMBER)

    summary = council.http.get(URL, {"month": "2026-11", "group_by": "school"}).json()

    assert summary["rows"] == [{"key": str(school.urn), "label": school.name, "activities": 6}]
    assert summary["total"] == 6
