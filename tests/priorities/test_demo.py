import pytest
from django.core.management import call_command

from priorities.geo import to_latitude_longitude
from priorities.models import Boundary, CrimeAggregate, PartnerAdvice, PriorityRun
from priorities.selectors import latest_scores
from schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def test_demo_data_populates_the_priority_list(demo):
    assert latest_scores().count() == School.objects.open().count() == 60
    assert CrimeAggregate.objects.exists() and PartnerAdvice.objects.count() == 5
    assert set(latest_scores().values_list("band", flat=True)) == {"high", "medium", "low"}


def test_loading_the_demo_twice_creates_no_more_priority_data(demo):
    counts = (CrimeAggregate.objects.count(), PartnerAdvice.objects.count(), PriorityRun.objects.count())
    call_command("load_demo")
    assert (CrimeAggregate.objects.count(), PartnerAdvice.objects.count(), PriorityRun.objects.count()) == counts


def _inside(point, ring) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _within(point, geometry) -> bool:
    # In a polygon's outer ring and none of its holes.
    return any(
        _inside(point, polygon[0]) and not any(_inside(point, hole) for hole in polygon[1:])
        for polygon in geometry["coordinates"]
    )


def test_the_demo_outlines_every_borough_and_every_ward_with_a_school_as_demo_outlines(demo):
    outlined = Boundary.objects.all()
    wards_with_schools = set(School.objects.exclude(ward=None).values_list("ward_id", flat=True))

    assert set(outlined.exclude(ward=None).values_list("ward_id", flat=True)) == wards_with_schools
    assert outlined.exclude(local_authority=None).count() == 2
    assert all(boundary.is_demo and boundary.source.startswith("Demo outline") for boundary in outlined)


def test_each_demo_school_stands_inside_its_wards_and_its_boroughs_demo_outline(demo):
    outlines = {(b.local_authority_id, b.ward_id): b.geometry for b in Boundary.objects.all()}
    schools = list(School.objects.exclude(easting=None))
    latitudes, longitudes = to_latitude_longitude(
        [school.easting for school in schools], [school.northing for school in schools]
    )

    for school, latitude, longitude in zip(schools, latitudes, longitudes, strict=True):
        assert _within((longitude, latitude), outlines[(None, school.ward_id)]), school
        assert _within((longitude, latitude), outlines[(school.local_authority_id, None)]), school


def test_loading_the_demo_twice_draws_no_more_outlines(demo):
    outlines = list(Boundary.objects.values_list("pk", "geometry"))

    call_command("load_demo")

    assert list(Boundary.objects.values_list("pk", "geometry")) == outlines


def test_an_imported_outline_is_not_replaced_by_a_demo_one(demo):
    boundary = Boundary.objects.exclude(local_authority=None).first()
    boundary.is_demo, boundary.source = False, "LAD_DEC_2024_UK_BGC.geojson (LAD24CD)"
    boundary.save()

    call_command("load_demo")

    boundary.refresh_from_db()
    assert (boundary.is_demo, boundary.source) == (False, "LAD_DEC_2024_UK_BGC.geojson (LAD24CD)")
