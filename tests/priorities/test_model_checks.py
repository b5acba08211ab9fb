"""What the priorities records say about themselves, and the checks an outline's geometry passes
before it is stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from priorities.models import Boundary, CrimeType, DataImport, multipolygon_problem
from tests.factories.priorities import CrimeAggregateFactory
from tests.factories.schools import LocalAuthorityFactory, WardFactory

SQUARE = [[-0.2, 51.5], [-0.1, 51.5], [-0.1, 51.6], [-0.2, 51.5]]


def test_a_crime_cell_reads_as_its_count_type_area_month_and_force():
    cell = CrimeAggregateFactory.build(
        count=7,
        crime_type=CrimeType.VIOLENCE_AND_SEXUAL_OFFENCES,
        lsoa_code="E01000001",
        month=datetime.date(2026, 8, 1),
        force="kent",
    )

    assert str(cell) == "7 × Violence and sexual offences in E01000001, Aug 2026 (kent)"


def test_a_data_import_reads_as_its_kind_and_file_name():
    data_import = DataImport(kind=DataImport.Kind.CRIME, file_name="2026-07-kent-street.csv")

    assert str(data_import) == "police.uk street crime: 2026-07-kent-street.csv"


def test_an_outline_reads_as_that_of_its_local_authority():
    camden = LocalAuthorityFactory.build(name="Camden")

    assert str(Boundary(local_authority=camden)) == "Outline of Camden"


@pytest.mark.django_db
def test_an_outline_reads_as_that_of_its_ward_when_it_has_no_local_authority():
    ward = WardFactory(name="Belsize", local_authority__name="Camden")

    assert str(Boundary(ward=ward)) == "Outline of Belsize (Camden)"


@pytest.mark.django_db
def test_an_outline_with_a_bad_geometry_is_refused_on_its_geometry_field():
    outline = Boundary(local_authority=LocalAuthorityFactory(), geometry={"type": "Polygon"}, source="test")

    with pytest.raises(ValidationError) as refused:
        outline.clean()

    assert refused.value.message_dict == {"geometry": ["must be a GeoJSON MultiPolygon"]}


def test_a_well_formed_multipolygon_has_no_problem():
    assert multipolygon_problem({"type": "MultiPolygon", "coordinates": [[SQUARE]]}) is None


@pytest.mark.parametrize(
    ("coordinates", "problem"),
    [
        ([], "has no polygon"),
        ([[]], "has a polygon without rings"),
        ([[SQUARE[:3]]], "has a ring that is not closed or has fewer than four positions"),
        ([[[*SQUARE[:3], [-0.2, 51.6]]]], "has a ring that is not closed or has fewer than four positions"),
        ([[[[530000, 184000], *SQUARE[1:3], [530000, 184000]]]], "is not a longitude and latitude: [530000, 184000]"),
        ([[[["0", 51.5], *SQUARE[1:3], ["0", 51.5]]]], "is not a longitude and latitude: ['0', 51.5]"),
    ],
)
def test_a_multipolygon_problem_is_named(coordinates, problem):
    assert problem in multipolygon_problem({"type": "MultiPolygon", "coordinates": coordinates})
