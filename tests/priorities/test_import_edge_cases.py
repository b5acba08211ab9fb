"""Bad input and progress in the priorities importers: every refusal names the file (and the line
where there is one), and a long import reports its progress."""

import json
import zipfile

import pytest

from priorities import importers
from priorities.importers import (
    ImportFileError,
    crime_sources,
    detect_encoding,
    read_boundaries,
    read_census,
    read_crime_file,
    read_gias,
)
from priorities.services import import_boundary_file
from tests.factories.schools import LocalAuthorityFactory

CRIME_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n"
)
CRIME_ROW = (
    "id{n},2026-07,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,Maidstone 001A,"
    "Shoplifting,Under investigation,\n"
)
CENSUS_HEADER = (
    "time_period,urn,headcount of pupils,number of pupils known to be eligible for free school meals,"
    "% of pupils known to be eligible for free school meals\n"
)


@pytest.fixture
def every_row_reports_progress(monkeypatch):
    monkeypatch.setattr(importers, "PROGRESS_EVERY_ROWS", 1)


def _write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _census(tmp_path, *rows: str):
    return _write(tmp_path, "census.csv", CENSUS_HEADER + "".join(rows))


# ------------------------------------------------------------------ CSV files (GIAS and census)


def test_a_file_in_neither_encoding_is_refused_naming_both(tmp_path):
    path = _write(tmp_path, "census.csv", CENSUS_HEADER.encode() + b"202425,100001,\x81\x9d,1,2\n")

    with pytest.raises(ImportFileError, match="cannot be read as any of utf-8-sig, cp1252"):
        detect_encoding(path, ("utf-8-sig", "cp1252"))


def test_an_empty_gias_file_is_refused_at_line_1(tmp_path):
    path = _write(tmp_path, "edubasealldata.csv", b"")

    with pytest.raises(ImportFileError, match=r"line 1: the file is empty \(no header row\)"):
        list(read_gias(path))


def test_a_gias_header_with_a_byte_outside_windows_1252_is_refused_at_line_1(tmp_path):
    path = _write(tmp_path, "edubasealldata.csv", b"URN,LA (code)\x81\n1,2\n")

    with pytest.raises(ImportFileError, match="line 1: unreadable header"):
        list(read_gias(path))


def test_a_gias_field_over_the_csv_size_limit_is_named_as_malformed(tmp_path, data_dir):
    good = (data_dir / "edubasealldata20260901.csv").read_bytes()
    path = _write(tmp_path, "edubasealldata.csv", good + b"1," + b"x" * 200_000 + b"\n")

    with pytest.raises(ImportFileError, match=r"line \d+: malformed CSV: field larger than field limit"):
        list(read_gias(path))


def test_gias_progress_is_reported_with_the_rows_read(tmp_path, data_dir, every_row_reports_progress):
    reports = []

    rows = list(read_gias(data_dir / "edubasealldata20260901.csv", progress=lambda name, n: reports.append(n)))

    assert reports == list(range(1, len(rows) + 1))


def test_census_progress_is_reported_with_the_rows_read(tmp_path, every_row_reports_progress):
    path = _census(tmp_path, "202425,100001,400,80,20.0\n", "202425,100002,300,30,10.0\n")
    reports = []

    list(read_census(path, progress=lambda name, n: reports.append((name, n))))

    assert reports == [(str(path), 1), (str(path), 2)]


def test_a_negative_headcount_is_refused_naming_its_line(tmp_path):
    path = _census(tmp_path, "202425,100001,400,80,20.0\n", "202425,100002,-3,0,0\n")

    with pytest.raises(ImportFileError, match=r"line 3: headcount of pupils '-3' is negative"):
        list(read_census(path))


def test_a_percentage_that_is_not_a_number_is_refused_naming_its_line(tmp_path):
    path = _census(tmp_path, "202425,100001,400,80,twenty\n")

    with pytest.raises(ImportFileError, match=r"line 2: .*'twenty' is not a number"):
        list(read_census(path))


# ------------------------------------------------------------------ police.uk crime files


def test_a_crime_path_that_does_not_exist_is_refused(tmp_path):
    missing = tmp_path / "2026-07-kent-street.csv"

    with pytest.raises(ImportFileError, match="no such file or folder"):
        crime_sources([missing])


def test_an_archive_without_street_files_is_refused(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("2026-07/2026-07-kent-outcomes.csv", "Crime ID\n")

    with pytest.raises(ImportFileError, match="no \\*-street.csv files in this archive"):
        crime_sources([archive])


def test_a_crime_file_can_be_read_from_its_path(tmp_path):
    path = _write(tmp_path, "2026-07-kent-street.csv", CRIME_HEADER + CRIME_ROW.format(n=1))

    crime = read_crime_file(path)

    assert (crime.force, crime.cells[("E01024000", "Shoplifting")][0]) == ("kent", 1)


def test_an_empty_crime_file_is_refused_at_line_1(tmp_path):
    path = _write(tmp_path, "2026-07-kent-street.csv", "")

    with pytest.raises(ImportFileError, match=r"line 1: the file is empty"):
        read_crime_file(path)


def test_a_crime_header_that_is_not_utf8_is_refused_at_line_1(tmp_path):
    path = _write(tmp_path, "2026-07-kent-street.csv", b"Crime ID,\xff\xfeMonth\n")

    with pytest.raises(ImportFileError, match=r"line 1: unreadable header"):
        read_crime_file(path)


def test_a_crime_field_over_the_csv_size_limit_is_named_as_malformed(tmp_path):
    path = _write(
        tmp_path, "2026-07-kent-street.csv", CRIME_HEADER + CRIME_ROW.format(n=1) + "id2," + "x" * 200_000 + "\n"
    )

    with pytest.raises(ImportFileError, match=r"line 3: malformed CSV: field larger than field limit"):
        read_crime_file(path)


def test_crime_progress_is_reported_with_the_rows_read(tmp_path, every_row_reports_progress):
    path = _write(tmp_path, "2026-07-kent-street.csv", CRIME_HEADER + CRIME_ROW.format(n=1) + CRIME_ROW.format(n=2))
    reports = []

    read_crime_file(path, progress=lambda name, n: reports.append((name, n)))

    assert reports == [(str(path), 1), (str(path), 2)]


# ------------------------------------------------------------------ ONS boundary files

SQUARE = [[[-0.2, 51.5], [-0.1, 51.5], [-0.1, 51.6], [-0.2, 51.5]]]


def _boundaries(tmp_path, geometry=None, properties=None, **collection):
    feature = {
        "type": "Feature",
        "properties": properties if properties is not None else {"LAD24CD": "E09000007", "LAD24NM": "Camden"},
        "geometry": geometry if geometry is not None else {"type": "Polygon", "coordinates": SQUARE},
    }
    content = {"type": "FeatureCollection", "features": [feature]} | collection
    return _write(tmp_path, "boundaries.geojson", json.dumps(content))


def test_a_crs_naming_wgs84_is_read_as_longitude_and_latitude(tmp_path):
    path = _boundaries(tmp_path, crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}})

    (feature,) = read_boundaries(path).features

    assert feature.polygons[0][0][0] == (-0.2, 51.5)


def test_a_feature_without_a_code_property_is_refused_listing_what_it_has(tmp_path):
    path = _boundaries(tmp_path, properties={"FID": 1, "NAME": "Camden"})

    with pytest.raises(ImportFileError, match=r"no LADyyCD or WDyyCD property \(found: FID, NAME\)"):
        read_boundaries(path)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "MultiPolygon", "coordinates": []}, "the geometry has no polygon"),
        ({"type": "MultiPolygon", "coordinates": [[]]}, "a polygon has no ring"),
        ({"type": "Polygon", "coordinates": [SQUARE[0][:3]]}, "a ring has fewer than four positions"),
    ],
)
def test_a_geometry_without_a_usable_ring_is_refused_naming_the_feature(tmp_path, geometry, message):
    path = _boundaries(tmp_path, geometry=geometry)

    with pytest.raises(ImportFileError, match=rf"feature 1 \(E09000007\): {message}"):
        read_boundaries(path)


def test_the_first_position_is_taken_from_the_first_feature_that_has_one():
    square_in_metres = [[[529000, 184000], [530000, 184000], [530000, 185000], [529000, 184000]]]
    collection = {
        "features": [
            {"properties": {"LAD24CD": "E09000007"}, "geometry": None},
            {"properties": {"LAD24CD": "E09000001"}, "geometry": {"type": "Polygon", "coordinates": [[]]}},
            {"properties": {"LAD24CD": "E09000002"}, "geometry": {"type": "Polygon", "coordinates": square_in_metres}},
        ]
    }

    assert importers._first_position(collection) == [529000, 184000]


def test_a_boundary_file_that_is_not_utf8_is_refused(tmp_path):
    path = _write(tmp_path, "boundaries.geojson", b'{"type": "\xff"}')

    with pytest.raises(ImportFileError, match="not UTF-8 text"):
        read_boundaries(path)


def test_json_that_is_not_a_feature_collection_is_refused(tmp_path):
    path = _write(tmp_path, "boundaries.geojson", json.dumps({"type": "Feature"}))

    with pytest.raises(ImportFileError, match="not a GeoJSON FeatureCollection"):
        read_boundaries(path)


def test_a_collection_without_features_is_refused(tmp_path):
    path = _write(tmp_path, "boundaries.geojson", json.dumps({"type": "FeatureCollection", "features": []}))

    with pytest.raises(ImportFileError, match="the collection has no features"):
        read_boundaries(path)


@pytest.mark.django_db
def test_a_boundary_import_reports_progress_every_thousand_features(tmp_path):
    LocalAuthorityFactory(gss_code="E09001000", name="Camden")
    features = [
        {
            "type": "Feature",
            "properties": {"LAD24CD": f"E0900{number:04d}", "LAD24NM": f"Authority {number}"},
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
        }
        for number in range(1, 1001)
    ]
    path = tmp_path / "LAD_tiny.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    reports = []

    import_boundary_file(path=path, progress=lambda name, number: reports.append((name, number)))

    assert reports == [("LAD_tiny.geojson", 1000)]
