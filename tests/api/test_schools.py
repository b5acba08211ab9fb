import datetime

import pytest
from django.utils import timezone

from officers.models import PostingRole
from schools.models import Phase, School
from tests.factories.officers import PostingFactory
from tests.factories.schools import SchoolFactory, WardFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/schools/"


def _urns(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["urn"] for row in response.json()["results"]]


def test_school_detail_is_found_by_urn(council):
    school = SchoolFactory(local_authority=council.authority)
    body = council.http.get(f"{URL}{school.urn}/").json()
    assert body["urn"] == school.urn
    assert body["local_authority"] == council.authority.gss_code


def test_filter_by_ward(council):
    ward = WardFactory(local_authority=council.authority)
    in_ward = SchoolFactory(local_authority=council.authority, ward=ward)
    SchoolFactory(local_authority=council.authority)
    assert _urns(council.http.get(URL, {"ward": ward.code})) == [in_ward.urn]


def test_filter_by_phase(council):
    primary = SchoolFactory(local_authority=council.authority, phase=Phase.PRIMARY)
    SchoolFactory(local_authority=council.authority, phase=Phase.SECONDARY)
    assert _urns(council.http.get(URL, {"phase": "primary"})) == [primary.urn]


def test_filter_by_local_authority_cannot_reach_an_ungranted_one(council, other_council):
    SchoolFactory(local_authority=other_council.authority)
    assert _urns(council.http.get(URL, {"local_authority": other_council.authority.gss_code})) == []


def test_unknown_phase_is_400_naming_the_field(council):
    response = council.http.get(URL, {"phase": "university"})
    assert response.status_code == 400
    assert "phase" in response.json()["errors"]


def test_updated_since_includes_the_boundary_instant(council):
    old = SchoolFactory(local_authority=council.authority)
    boundary = timezone.now().replace(microsecond=0)
    School.objects.filter(pk=old.pk).update(updated_at=boundary - datetime.timedelta(seconds=1))
    at_boundary = SchoolFactory(local_authority=council.authority)
    School.objects.filter(pk=at_boundary.pk).update(updated_at=boundary)
    assert _urns(council.http.get(URL, {"updated_since": boundary.isoformat()})) == [at_boundary.urn]


def test_malformed_updated_since_is_400(council):
    response = council.http.get(URL, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_current_postings_include_one_ending_today_and_exclude_one_ended_yesterday(council):
    today = timezone.localdate()
    school = SchoolFactory(local_authority=council.authority)
    ends_today = PostingFactory(school=school, start_date=today - datetime.timedelta(days=30), end_date=today)
    PostingFactory(
        school=school,
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=1),
        role=PostingRole.SECONDARY,
    )
    PostingFactory(school=school, start_date=today + datetime.timedelta(days=1), role=PostingRole.SECONDARY)
    postings = council.http.get(f"{URL}{school.urn}/").json()["current_postings"]
    assert [posting["id"] for posting in postings] == [ends_today.pk]
    assert postings[0]["officer_collar_number"] == ends_today.officer.collar_number


@pytest.mark.parametrize("value", ["0134-06-23T13:52:38.1-17:54", "2026-11-25T09:00:00+23:59"])
def test_updated_since_with_an_extreme_offset_is_answered_not_a_server_error(council, value):
    SchoolFactory(local_authority=council.authority)
    assert council.http.get(URL, {"updated_since": value}).status_code == 200


def test_updated_since_beyond_year_one_after_conversion_is_400(council):
    response = council.http.get(URL, {"updated_since": "0001-01-01T00:00:00+14:00"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_fast_school_representation_equals_the_declared_fields(council):
    from decimal import Decimal

    from django.db.models import Prefetch

    from api.selectors import school_rows
    from api.views.schools import SchoolSerializer
    from officers.models import Posting
    from priorities.selectors import latest_scores
    from tests.api.test_school_priorities import make_run, make_score

    school = SchoolFactory(local_authority=council.authority, fsm_percentage=Decimal("7.5"))
    PostingFactory(school=school, start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2027, 7, 31))
    PostingFactory(school=school, end_date=None)
    run = make_run()
    make_score(run, school, band="medium", total="42.50", rank=3)
    # A summer instant: shown in British Summer Time (+01:00), not as UTC "Z".
    type(run).objects.filter(pk=run.pk).update(computed_at=datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC))
    SchoolFactory(local_authority=council.authority, ward=None, bcu=None, fsm_percentage=None)
    # The declared fields read model instances loaded the generic way.
    current = Posting.objects.current().select_related("officer").order_by("role", "start_date", "pk")
    loaded = (
        School.objects.visible_to(council.client)
        .order_by("pk")
        .prefetch_related(
            Prefetch("postings", queryset=current, to_attr="current_postings"),
            Prefetch("priority_scores", queryset=latest_scores(), to_attr="latest_priority_scores"),
        )
    )
    rows = school_rows(ids=[instance.pk for instance in loaded])
    assert len(rows) == 2
    for instance, row in zip(loaded, rows, strict=True):
        serializer = SchoolSerializer()
        generic = super(SchoolSerializer, serializer).to_representation(instance)
        assert serializer.to_representation(row) == generic


def test_school_deleted_between_finding_and_loading_it_is_404_not_a_server_error(council, monkeypatch):
    school = SchoolFactory(local_authority=council.authority)
    monkeypatch.setattr("api.views.schools.school_rows", lambda *, ids: [])
    assert council.http.get(f"{URL}{school.urn}/").status_code == 404
