"""ONS boundary import: outlines of the portal's local authorities and wards, matched by GSS code,
from GeoJSON in British National Grid or WGS84, simplified, in one transaction per file."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from priorities.importers import ImportFileError
from priorities.models import Boundary, DataImport
from priorities.services import import_boundary_file
from tests.factories.schools import LocalAuthorityFactory, WardFactory

pytestmark = pytest.mark.django_db

# Tiny files in the shape ONS publishes them (properties FID, LAD24CD/WD24CD, ..., GlobalID).
LAD_BNG = "boundaries/LAD_DEC_2024_UK_BGC_tiny.geojson"  # British National Grid, with a crs member
WARDS_WGS84 = "boundaries/WD_DEC_2024_UK_BGC_tiny.geojson"  # WGS84, no crs member (RFC 7946)


@pytest.fixture
def camden():
    return LocalAuthorityFactory(gss_code="E09000007", name="Camden")


@pytest.fixture
def camden_wards(camden):
    return [
        WardFactory(code="E05013660", name="Belsize", local_authority=camden),
        WardFactory(code="E05013661", name="Bloomsbury", local_authority=camden),
    ]


def _outer_ring(boundary: Boundary) -> list[list[float]]:
    (polygon,) = boundary.geometry["coordinates"]
    return polygon[0]


def _rewritten(tmp_path, data_dir, name: str, change) -> object:
    """A copy of a fixture file with ``change`` applied to its parsed JSON."""
    collection = json.loads((data_dir / name).read_text())
    change(collection)
    path = tmp_path / "changed.geojson"
    path.write_text(json.dumps(collection))
    return path


def test_a_british_national_grid_outline_is_stored_in_latitude_and_longitude(data_dir, camden):
    import_boundary_file(path=data_dir / LAD_BNG)

    ring = _outer_ring(camden.boundary)
    longitudes, latitudes = [point[0] for point in ring], [point[1] for point in ring]
    # The corners of the 528000-530000 E, 183000-185000 N square.
    assert min(latitudes) == pytest.approx(51.5314, abs=0.0005)
    assert max(latitudes) == pytest.approx(51.5489, abs=0.0005)
    assert min(longitudes) == pytest.approx(-0.1561, abs=0.0005)
    assert max(longitudes) == pytest.approx(-0.1265, abs=0.0005)


def test_a_wgs84_ward_file_is_matched_by_ward_code(data_dir, camden_wards):
    belsize, bloomsbury = camden_wards

    summary = import_boundary_file(path=data_dir / WARDS_WGS84)

    assert (summary.level, summary.created) == ("ward", 2)
    assert Boundary.objects.get(ward=belsize).geometry["type"] == "MultiPolygon"
    assert min(point[1] for point in _outer_ring(Boundary.objects.get(ward=bloomsbury))) == pytest.approx(
        51.5313, abs=0.0005
    )


def test_the_level_is_read_from_the_code_column_a_ward_file_holding_its_authoritys_code_too(data_dir, camden_wards):
    # Each ward feature carries LAD24CD as well as WD24CD: it is still a ward file.
    assert import_boundary_file(path=data_dir / WARDS_WGS84).level == "ward"


def test_asking_for_the_wrong_level_stops_the_file(data_dir, camden_wards):
    with pytest.raises(ImportFileError, match="--level la was asked for, but this is a ward file"):
        import_boundary_file(path=data_dir / WARDS_WGS84, level="la")


def test_points_within_the_tolerance_are_dropped(data_dir, camden):
    # The square's sides have a point every 100 m and an 8 m notch: at 25 m only the corners remain.
    import_boundary_file(path=data_dir / LAD_BNG)

    assert len(_outer_ring(camden.boundary)) == 5  # four corners, closed


def test_a_smaller_tolerance_keeps_the_detail_it_is_asked_to(data_dir, camden):
    import_boundary_file(path=data_dir / LAD_BNG, tolerance_m=5)

    assert len(_outer_ring(camden.boundary)) == 8  # the corners and the notch's three points, closed


def test_codes_not_in_the_portal_are_counted_and_named_and_authorities_without_outline_too(data_dir, camden):
    LocalAuthorityFactory(gss_code="E09000030", name="Tower Hamlets")

    summary = import_boundary_file(path=data_dir / LAD_BNG)

    assert (summary.read, summary.matched, summary.skipped) == (2, 1, 1)
    assert summary.unmatched_codes == ["E09000033"]
    assert summary.without_outline == ["Tower Hamlets"]
    assert "matched 1 local authorities of the portal" in str(summary)
    assert "unmatched 1 (codes not in the portal)" in str(summary)


def test_the_outline_records_its_source_file_code_column_and_date(data_dir, camden):
    import_boundary_file(path=data_dir / LAD_BNG)

    boundary = camden.boundary
    assert boundary.source == "LAD_DEC_2024_UK_BGC_tiny.geojson (LAD24CD)"
    assert boundary.imported_at is not None
    assert boundary.is_demo is False
    assert DataImport.objects.get().kind == DataImport.Kind.BOUNDARIES


def test_reimporting_the_same_file_changes_nothing(data_dir, camden):
    import_boundary_file(path=data_dir / LAD_BNG)
    imported_at = Boundary.objects.get().imported_at

    summary = import_boundary_file(path=data_dir / LAD_BNG)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert Boundary.objects.get().imported_at == imported_at


def test_a_new_file_replaces_an_authoritys_outline(data_dir, tmp_path, camden):
    import_boundary_file(path=data_dir / LAD_BNG)

    def shift_east(collection):
        for ring in collection["features"][0]["geometry"]["coordinates"]:
            for point in ring:
                point[0] += 1000

    summary = import_boundary_file(path=_rewritten(tmp_path, data_dir, LAD_BNG, shift_east))

    assert summary.updated == 1
    assert Boundary.objects.count() == 1
    assert max(point[0] for point in _outer_ring(Boundary.objects.get())) == pytest.approx(-0.1121, abs=0.0005)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c["features"][1].update(geometry={"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
            "feature 2 (E09000033): geometry 'LineString' is not a Polygon or MultiPolygon",
        ),
        (
            lambda c: c["features"][1]["geometry"]["coordinates"][0][0].pop(),
            "feature 2 (E09000033): a ring is not closed",
        ),
        (
            lambda c: c["features"][1]["geometry"]["coordinates"][0][0].__setitem__(1, [529000.0, "north"]),
            "feature 2 (E09000033): [529000.0, 'north'] is not a position",
        ),
        (
            lambda c: c["features"][1]["geometry"]["coordinates"][0][0].__setitem__(1, [5290000.0, 180000.0]),
            "feature 2 (E09000033): position [5290000.0, 180000.0] is outside EPSG:27700's range",
        ),
        (lambda c: c["features"][1]["properties"].pop("LAD24CD"), "feature 2: no LAD24CD code"),
        (
            lambda c: c["features"][1]["properties"].update(LAD24CD="E09000007"),
            "feature 2 (E09000007): the code is also that of feature 1",
        ),
    ],
    ids=["not a polygon", "ring not closed", "not a number", "off the grid", "no code", "code twice"],
)
def test_a_bad_feature_is_named_by_number_and_code_and_nothing_is_written(data_dir, tmp_path, camden, change, message):
    # Feature 1 (Camden) is good and matched; feature 2 is broken.
    path = _rewritten(tmp_path, data_dir, LAD_BNG, change)

    with pytest.raises(ImportFileError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        import_boundary_file(path=path)

    assert not Boundary.objects.exists()
    assert not DataImport.objects.exists()


def test_a_failure_after_outlines_were_written_leaves_none_of_them(data_dir, tmp_path, camden_wards):
    # Feature 1 (Belsize) is stored first; feature 2, a 5 m square, vanishes once simplified.
    def shrink_second(collection):
        west, south = collection["features"][1]["geometry"]["coordinates"][0][0]
        collection["features"][1]["geometry"]["coordinates"] = [
            [[west, south], [west + 0.00007, south], [west + 0.00007, south + 0.00004], [west, south]]
        ]

    with pytest.raises(ImportFileError, match=r"feature 2 \(E05013661\): nothing is left of it simplified to 25 m"):
        import_boundary_file(path=_rewritten(tmp_path, data_dir, WARDS_WGS84, shrink_second))

    assert not Boundary.objects.exists()


def test_a_file_that_is_not_geojson_says_so(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')

    with pytest.raises(ImportFileError, match="wards.geojson, line 1: not valid JSON"):
        import_boundary_file(path=path)


def test_an_unsupported_coordinate_system_is_refused(data_dir, tmp_path, camden):
    def irish_grid(collection):
        collection["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::29903"

    with pytest.raises(ImportFileError, match="EPSG::29903' is not supported: use the file in EPSG:27700 or 4326"):
        import_boundary_file(path=_rewritten(tmp_path, data_dir, LAD_BNG, irish_grid))


def test_metres_without_a_crs_member_are_read_as_british_national_grid(data_dir, tmp_path, camden):
    path = _rewritten(tmp_path, data_dir, LAD_BNG, lambda collection: collection.pop("crs"))

    import_boundary_file(path=path)

    assert min(point[1] for point in _outer_ring(camden.boundary)) == pytest.approx(51.5314, abs=0.0005)


def test_the_command_reports_matched_and_unmatched_counts(data_dir, camden):
    out = StringIO()

    call_command("import_boundaries", str(data_dir / LAD_BNG), "--level", "la", stdout=out, stderr=StringIO())

    text = out.getvalue()
    assert "read 2 features; matched 1 local authorities of the portal (created 1, updated 0, unchanged 0)" in text
    assert "unmatched 1 (codes not in the portal)" in text
    assert "Codes not in the portal: E09000033" in text


def test_the_command_names_the_bad_feature_and_says_nothing_was_imported(data_dir, tmp_path, camden):
    path = _rewritten(tmp_path, data_dir, LAD_BNG, lambda c: c["features"][1].update(geometry=None))

    with pytest.raises(CommandError, match=r"feature 2 \(E09000033\).*nothing was imported from this file"):
        call_command("import_boundaries", str(path), stdout=StringIO(), stderr=StringIO())
    assert not Boundary.objects.exists()


def test_an_outline_belongs_to_one_authority_or_one_ward(camden_wards):
    from django.core.exceptions import ValidationError

    ward = camden_wards[0]
    boundary = Boundary(
        local_authority=ward.local_authority,
        ward=ward,
        geometry={"type": "MultiPolygon", "coordinates": [[[[0, 51], [0.1, 51], [0, 51.1], [0, 51]]]]},
        source="test",
    )

    with pytest.raises(ValidationError, match="one local authority or one ward"):
        boundary.clean()
