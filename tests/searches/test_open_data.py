import csv

import pytest
from django.core.management import CommandError, call_command

from searches.models import SearchType
from searches.open_data import COLUMNS
from tests.factories.officers import OfficerFactory
from tests.factories.searches import IntimateSearchFactory, SearchRecordFactory

pytestmark = pytest.mark.django_db


def _export(tmp_path, month="2026-10") -> list[dict]:
    output = tmp_path / "open.csv"
    call_command("export_search_open_data", "--month", month, "--output", str(output))
    with output.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture
def officer():
    return OfficerFactory(bcu__code="RB-BCU", bcu__name="Riverbank BCU")


def test_rows_are_grouped_by_bcu_type_age_band_and_broad_ethnic_group(tmp_path, officer):
    SearchRecordFactory.create_batch(3, officer=officer, self_defined_ethnicity="W1")
    SearchRecordFactory.create_batch(4, officer=officer, self_defined_ethnicity="W9")
    rows = _export(tmp_path)
    assert rows == [
        {
            "month": "2026-10",
            "force": "Test Constabulary",
            "bcu_code": "RB-BCU",
            "bcu_name": "Riverbank BCU",
            "search_type": "Outer clothing only",
            "age_band": "13 to 15",
            "self_defined_ethnic_group": "White",
            "searches": "7",
            "appropriate_adult_present": "0",
            "referral_made": "",
            "body_worn_video_recorded": "7",
            "body_worn_video_pct": "100.0",
        }
    ]


def test_body_worn_video_is_published_as_a_count_and_a_rate(tmp_path, officer):
    SearchRecordFactory.create_batch(10, officer=officer)
    SearchRecordFactory.create_batch(
        10, officer=officer, body_worn_video="not_recorded", body_worn_video_reason="Camera failed."
    )
    row = _export(tmp_path)[0]
    assert (row["searches"], row["body_worn_video_recorded"], row["body_worn_video_pct"]) == ("20", "10", "50.0")


def test_a_body_worn_video_count_that_reveals_a_few_searches_without_it_is_suppressed(tmp_path, officer):
    SearchRecordFactory.create_batch(9, officer=officer)
    SearchRecordFactory(officer=officer, body_worn_video="not_recorded", body_worn_video_reason="Camera failed.")
    row = _export(tmp_path)[0]
    assert (row["body_worn_video_recorded"], row["body_worn_video_pct"]) == ("c", "c")


def test_small_counts_and_their_parts_are_suppressed(tmp_path, officer):
    SearchRecordFactory.create_batch(2, officer=officer, self_defined_ethnicity="B1")
    rows = _export(tmp_path)
    assert (rows[0]["searches"], rows[0]["appropriate_adult_present"]) == ("c", "c")


def test_a_referral_count_that_reveals_a_few_unreferred_children_is_suppressed(tmp_path, officer):
    IntimateSearchFactory.create_batch(6, officer=officer, referral_reference="MASH-1")
    IntimateSearchFactory.create_batch(2, officer=officer)
    row = _export(tmp_path)[0]
    assert row["searches"] == "8"
    assert row["appropriate_adult_present"] == "8"
    assert row["referral_made"] == "c"


def test_referral_column_is_filled_for_intimate_searches_of_children(tmp_path, officer):
    IntimateSearchFactory.create_batch(5, officer=officer, referral_reference="MASH-1")
    IntimateSearchFactory.create_batch(5, officer=officer, search_type=SearchType.STRIP_IN_CUSTODY)
    rows = {row["search_type"]: row for row in _export(tmp_path)}
    assert rows["Search exposing intimate parts"]["referral_made"] == "5"
    assert rows["Strip search in custody"]["referral_made"] == "0"


def test_referral_column_stays_empty_for_other_searches_even_with_a_referral_reference(tmp_path, officer):
    SearchRecordFactory.create_batch(
        6, officer=officer, search_type=SearchType.MORE_THOROUGH, referral_reference="MASH-2"
    )
    [row] = _export(tmp_path)
    assert (row["searches"], row["referral_made"]) == ("6", "")


def test_an_empty_month_has_only_the_header(tmp_path, officer):
    SearchRecordFactory(officer=officer)
    assert _export(tmp_path, month="2026-09") == []


def test_export_writes_to_standard_output_without_a_file(capsys, officer):
    SearchRecordFactory.create_batch(5, officer=officer)
    call_command("export_search_open_data", "--month", "2026-10")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 2


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "October", ""])
def test_export_refuses_a_malformed_month(month):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("export_search_open_data", "--month", month)


def test_export_names_an_unwritable_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_search_open_data", "--month", "2026-10", "--output", str(tmp_path / "missing" / "x.csv"))
