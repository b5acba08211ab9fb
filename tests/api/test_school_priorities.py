from decimal import Decimal

import pytest

from priorities.models import Band, CoverageLevel, PriorityRun, PriorityScore
from tests.factories.priorities import ScoringModelFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/schools/"


def make_run() -> PriorityRun:
    model = ScoringModelFactory()
    return PriorityRun.objects.create(scoring_model=model, scoring_model_version=1, parameters={})


def make_score(run: PriorityRun, school, *, band: str, total: str, rank: int = 1) -> PriorityScore:
    points = Decimal(total) / 5
    return PriorityScore.objects.create(
        run=run,
        school=school,
        total=Decimal(total),
        rank_in_bcu=rank,
        band=band,
        crime=points,
        fsm=points,
        pupils=points,
        advice=points,
        coverage=points,
        crime_input=Decimal(0),
        coverage_input=CoverageLevel.choices[0][0],
    )


def test_school_carries_its_latest_priority_score_rank_band_and_components(council):
    school = SchoolFactory(local_authority=council.authority)
    make_score(make_run(), school, band=Band.LOW, total="10.00", rank=9)
    make_score(make_run(), school, band=Band.HIGH, total="80.00", rank=1)
    priority = council.http.get(f"{URL}{school.urn}/").json()["priority"]
    assert (priority["band"], priority["rank_in_bcu"], priority["total"]) == ("high", 1, "80.00")
    assert priority["crime"] == "16.00"


def test_school_never_scored_has_null_priority(council):
    school = SchoolFactory(local_authority=council.authority)
    assert council.http.get(f"{URL}{school.urn}/").json()["priority"] is None


def test_school_scored_only_in_an_earlier_run_has_null_priority(council):
    school = SchoolFactory(local_authority=council.authority)
    make_score(make_run(), school, band=Band.HIGH, total="80.00")
    make_score(make_run(), SchoolFactory(local_authority=council.authority), band=Band.LOW, total="5.00")
    assert council.http.get(f"{URL}{school.urn}/").json()["priority"] is None


def test_filter_by_priority_band_uses_the_latest_run_only(council):
    high_now = SchoolFactory(local_authority=council.authority)
    high_before = SchoolFactory(local_authority=council.authority)
    old_run = make_run()
    make_score(old_run, high_now, band=Band.LOW, total="10")
    make_score(old_run, high_before, band=Band.HIGH, total="90")
    new_run = make_run()
    make_score(new_run, high_now, band=Band.HIGH, total="90")
    make_score(new_run, high_before, band=Band.MEDIUM, total="50")
    results = council.http.get(URL, {"priority_band": "high"}).json()["results"]
    assert [row["urn"] for row in results] == [high_now.urn]


def test_unknown_priority_band_is_400(council):
    response = council.http.get(URL, {"priority_band": "urgent"})
    assert response.status_code == 400
    assert "priority_band" in response.json()["errors"]
