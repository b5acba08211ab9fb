from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from priorities.importers import ImportFileError
from priorities.services import import_census_file
from schools.models import School
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return {
        urn: SchoolFactory(urn=urn, pupil_count=100, fsm_count=10, fsm_percentage=Decimal("10.0"))
        for urn in ["100001", "100002", "100005", "100006"]
    }


def _figures(urn: str) -> tuple:
    school = School.objects.get(urn=urn)
    return school.pupil_count, school.fsm_count, school.fsm_percentage


def test_figures_are_set_by_urn_from_the_latest_year(data_dir, schools):
    import_census_file(path=data_dir / "spc_school_level_underlying_data_2025.csv")
    assert _figures("100001") == (431, 104, Decimal("24.1"))


def test_suppressed_figures_leave_the_current_figure_as_it_is(data_dir, schools):
    summary = import_census_file(path=data_dir / "spc_school_level_underlying_data_2025.csv")
    assert _figures("100002") == (1092, 10, Decimal("10.0"))  # fsm "x": unchanged
    assert _figures("100005") == (100, 10, Decimal("10.0"))  # all "c"
    assert _figures("100006") == (97, 10, Decimal("10.0"))  # blank and "z"
    assert summary.notes["suppressed or missing values"] == 6


def test_unknown_urns_and_older_years_are_rejected_and_counted(data_dir, schools):
    summary = import_census_file(path=data_dir / "spc_school_level_underlying_data_2025.csv")
    assert (summary.read, summary.updated, summary.unchanged, summary.rejected) == (6, 3, 1, 2)
    assert summary.notes["rejected: URN not in the portal"] == 1


def test_windows_1252_file_with_older_column_names_is_read(data_dir, schools):
    import_census_file(path=data_dir / "spc_school_level_underlying_data_2015.csv")
    assert _figures("100005") == (61, 9, Decimal("14.8"))
    assert _figures("100001") == (400, 10, Decimal("10.0"))


def test_reimport_changes_nothing(data_dir, schools):
    path = data_dir / "spc_school_level_underlying_data_2025.csv"
    import_census_file(path=path)
    history_rows = School.history.count()
    summary = import_census_file(path=path)
    assert summary.updated == 0
    assert School.history.count() == history_rows


def test_malformed_value_names_file_and_line_and_writes_nothing(data_dir, schools):
    with pytest.raises(ImportFileError, match=r"spc_school_level_malformed.csv, line 3: .*'1,092' is not a whole"):
        import_census_file(path=data_dir / "spc_school_level_malformed.csv")
    assert _figures("100001") == (100, 10, Decimal("10.0"))


def test_percentage_above_100_is_bad_input(tmp_path, schools):
    path = tmp_path / "census.csv"
    path.write_text(
        "urn,headcount of pupils,number of pupils known to be eligible for free school meals,"
        "% of pupils known to be eligible for free school meals\n100001,10,11,110.0\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError, match="line 2: .*not a percentage between 0 and 100"):
        import_census_file(path=path)


def test_missing_column_is_named(tmp_path, schools):
    path = tmp_path / "census.csv"
    path.write_text("urn,headcount of pupils\n100001,10\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 1: missing column 'number of pupils known"):
        import_census_file(path=path)


def test_command_prints_a_summary_and_reports_bad_input(data_dir, schools, capsys):
    call_command("import_census", str(data_dir / "spc_school_level_underlying_data_2025.csv"))
    assert "read 6, created 0, updated 3" in capsys.readouterr().out
    with pytest.raises(CommandError, match="line 3"):
        call_command("import_census", str(data_dir / "spc_school_level_malformed.csv"))


def test_files_larger_than_one_batch_are_written_batch_by_batch(data_dir, schools, monkeypatch):
    monkeypatch.setattr("priorities.services.BATCH_SIZE", 2)
    summary = import_census_file(path=data_dir / "spc_school_level_underlying_data_2025.csv")
    assert (summary.updated, summary.unchanged, summary.rejected) == (3, 1, 2)
    assert _figures("100001") == (431, 104, Decimal("24.1"))


def test_a_school_twice_in_the_same_year_is_bad_input(tmp_path, data_dir, schools):
    lines = (data_dir / "spc_school_level_underlying_data_2025.csv").read_bytes().splitlines(keepends=True)
    doubled = tmp_path / "census.csv"
    doubled.write_bytes(b"".join([*lines, lines[2]]))
    with pytest.raises(ImportFileError, match="line 8: URN 100001 appears twice for 202425"):
        import_census_file(path=doubled)
