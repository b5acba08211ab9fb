"""The school map's data: one marker per school of the priority list as filtered."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from officers.models import BCU
from priorities.models import Band, Boundary
from schools.models import Phase
from tests.factories.officers import BCUFactory, PostingFactory
from tests.factories.priorities import PriorityRunFactory, PriorityScoreFactory
from tests.factories.schools import LocalAuthorityFactory, SchoolFactory, WardFactory

pytestmark = pytest.mark.django_db

MAP = reverse("admin:priorities_priorityscore_map")
LIST = reverse("admin:priorities_priorityscore_changelist")


@pytest.fixture
def run():
    return PriorityRunFactory()


def _score(run, name, *, bcu, band=Band.HIGH, rank=1, phase=Phase.SECONDARY, **school):
    return PriorityScoreFactory(
        run=run, school=SchoolFactory(name=name, bcu=bcu, phase=phase, **school), band=band, rank_in_bcu=rank
    )


def test_each_school_is_placed_at_its_grid_position_converted_to_latitude_and_longitude(manager_client, run):
    score = _score(run, "Alder School", bcu=BCUFactory(name="Riverbank BCU"), easting=531000, northing=181000)

    (school,) = manager_client.get(MAP).json()["schools"]

    assert (school["lat"], school["lon"]) == (pytest.approx(51.5127, abs=0.0005), pytest.approx(-0.1136, abs=0.0005))
    assert school["school_url"] == reverse("admin:schools_school_change", args=[score.school.pk])
    assert school["why_url"] == reverse("admin:priorities_priorityscore_change", args=[score.pk])
    assert (school["rank"], school["band"], school["bcu"]) == (1, "high", "Riverbank BCU")


def test_a_covered_school_is_filled_and_names_its_officer_a_vacant_one_says_so(manager_client, run):
    bcu = BCUFactory()
    covered = _score(run, "Covered", bcu=bcu)
    PostingFactory(
        school=covered.school,
        officer__first_name="Priya",
        officer__last_name="Shah",
        start_date=datetime.date(2020, 1, 1),
    )
    _score(run, "Vacant", bcu=bcu, rank=2)

    schools = {school["name"]: school for school in manager_client.get(MAP).json()["schools"]}

    assert (schools["Covered"]["covered"], schools["Covered"]["sso"]) == (True, "Priya Shah")
    assert (schools["Vacant"]["covered"], schools["Vacant"]["sso"]) == (False, "Vacancy")


def test_the_map_takes_the_lists_filters_and_answers_for_every_row(manager_client, run):
    riverbank, hartwell = BCUFactory(), BCUFactory()
    for rank in range(1, 4):
        _score(run, f"River {rank}", bcu=riverbank, rank=rank, band=Band.HIGH if rank == 1 else Band.LOW)
    _score(run, "Hart", bcu=hartwell)
    filters = {"bcu__id__exact": riverbank.pk, "band__exact": "low"}

    listed = manager_client.get(LIST, filters).context["cl"].result_count
    names = {school["name"] for school in manager_client.get(MAP, filters).json()["schools"]}

    assert names == {"River 2", "River 3"}
    assert listed == len(names)


def test_a_school_without_coordinates_is_counted_not_placed(manager_client, run):
    _score(run, "Unplaced", bcu=BCUFactory(), easting=None, northing=None)

    data = manager_client.get(MAP).json()

    assert (data["schools"], data["not_placed"]) == ([], 1)


TRIANGLE = {"type": "MultiPolygon", "coordinates": [[[[-0.1, 51.5], [-0.09, 51.5], [-0.1, 51.51], [-0.1, 51.5]]]]}


def _outline(*, local_authority=None, ward=None, demo=False) -> Boundary:
    return Boundary.objects.create(
        local_authority=local_authority,
        ward=ward,
        geometry={
            "type": "MultiPolygon",
            "coordinates": [[[[-0.1, 51.5], [-0.09, 51.5], [-0.1, 51.51], [-0.1, 51.5]]]],
        },
        source="LAD_DEC_2024_UK_BSC.geojson (LAD24CD)",
        is_demo=demo,
        imported_at=timezone.now(),
    )


@pytest.fixture
def two_outlined_authorities(run):
    """Riverbank and Hartwell, each with a school, an outline and an outlined ward."""
    places = {}
    for name in ["Riverbank", "Hartwell"]:
        la = LocalAuthorityFactory(name=name)
        ward = WardFactory(name=f"{name} Central", local_authority=la)
        _outline(local_authority=la)
        _outline(ward=ward)
        _score(run, f"{name} School", bcu=BCUFactory(name=f"{name} BCU"), local_authority=la, ward=ward)
        places[name] = la
    return places


def test_the_map_carries_the_outlines_of_its_schools_local_authorities_and_their_wards(
    manager_client, two_outlined_authorities
):
    outlines = manager_client.get(MAP).json()["outlines"]

    assert {outline["name"] for outline in outlines["local_authorities"]} == {"Riverbank", "Hartwell"}
    assert {(outline["name"], outline["local_authority"]) for outline in outlines["wards"]} == {
        ("Riverbank Central", "Riverbank"),
        ("Hartwell Central", "Hartwell"),
    }
    assert outlines["wards"][0]["geometry"]["type"] == "MultiPolygon"


def test_a_filtered_map_carries_only_the_outlines_of_the_filtered_local_authorities(
    manager_client, two_outlined_authorities
):
    riverbank = two_outlined_authorities["Riverbank"]

    outlines = manager_client.get(MAP, {"school__local_authority__id__exact": riverbank.pk}).json()["outlines"]

    assert [outline["name"] for outline in outlines["local_authorities"]] == ["Riverbank"]
    assert [outline["name"] for outline in outlines["wards"]] == ["Riverbank Central"]


def test_a_map_filtered_by_bcu_carries_only_that_bcus_authorities_outlines(manager_client, two_outlined_authorities):
    filters = {"bcu__id__exact": BCU.objects.get(name="Hartwell BCU").pk}

    outlines = manager_client.get(MAP, filters).json()["outlines"]

    assert [outline["name"] for outline in outlines["local_authorities"]] == ["Hartwell"]
    assert [outline["name"] for outline in outlines["wards"]] == ["Hartwell Central"]


def test_without_imported_boundaries_the_map_carries_no_outlines(manager_client, run):
    _score(run, "Alder", bcu=BCUFactory())

    assert manager_client.get(MAP).json()["outlines"] == {"local_authorities": [], "wards": []}


def test_an_outline_of_another_authority_is_not_sent(manager_client, run):
    school = _score(run, "Alder", bcu=BCUFactory()).school
    _outline(local_authority=LocalAuthorityFactory(name="Far Away"))
    _outline(ward=WardFactory(name="Far Ward"))

    outlines = manager_client.get(MAP).json()["outlines"]

    assert outlines == {"local_authorities": [], "wards": []}
    assert school.local_authority.name != "Far Away"


def test_a_demo_outline_says_so(manager_client, run):
    la = LocalAuthorityFactory()
    _outline(local_authority=la, demo=True)
    _score(run, "Alder", bcu=BCUFactory(), local_authority=la)

    (outline,) = manager_client.get(MAP).json()["outlines"]["local_authorities"]

    assert outline["demo"] is True


def test_a_bad_filter_is_a_400(manager_client, run):
    assert manager_client.get(MAP, {"no_such_field": "1"}).status_code == 400


def test_the_map_data_queries_do_not_grow_with_schools(manager_client, run, django_assert_num_queries):
    bcu = BCUFactory()
    for rank in range(1, 12):
        # Each school in a local authority of its own, outlined, with an outlined ward.
        ward = WardFactory()
        _outline(local_authority=ward.local_authority)
        _outline(ward=ward)
        score = _score(run, f"School {rank}", bcu=bcu, rank=rank, local_authority=ward.local_authority, ward=ward)
        PostingFactory(school=score.school, start_date=datetime.date(2020, 1, 1))
    manager_client.get(MAP)  # a process's first request fills caches
    queries = [
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the user's own permissions",
        "the user's groups' permissions",
        "the run filter's choices (the latest ten runs)",
        "the BCU filter's choices",
        "the local authority filter's choices",
        "how many scores match (the list's paginator)",
        "the scores of the latest run with school, local authority, BCU, run and scoring model",
        "their schools' current primary postings with the officer",
        "the outlines of their local authorities and of those authorities' wards",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    with django_assert_num_queries(len(queries)):
        manager_client.get(MAP)


def test_the_priority_list_carries_the_map_with_its_own_filters(manager_client, run):
    bcu = BCUFactory()
    _score(run, "Alder", bcu=bcu)

    content = manager_client.get(LIST, {"band__exact": "high"}).content.decode()

    assert f'data-map-url="{MAP}?band__exact=high"' in content
    assert 'data-tile-url=""' in content
