import datetime
import math
import re
import shutil
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from priorities import services
from priorities.geo import to_easting_northing
from priorities.importers import ImportFileError
from priorities.models import CrimeAggregate, CrimeType, DataImport
from priorities.services import import_crime_file

pytestmark = pytest.mark.django_db

JULY = datetime.date(2026, 7, 1)


@pytest.fixture
def met_july(data_dir):
    return data_dir / "crime" / "2026-07" / "2026-07-metropolitan-street.csv"


def _counts(**filters) -> dict[tuple[str, str], int]:
    return {
        (row.lsoa_code, row.crime_type): row.count for row in CrimeAggregate.objects.filter(**filters).order_by("pk")
    }


def test_rows_are_counted_per_lsoa_month_and_crime_type(met_july):
    import_crime_file(path=met_july)
    assert _counts(month=JULY, force="metropolitan") == {
        ("E01000001", CrimeType.VIOLENCE_AND_SEXUAL_OFFENCES): 3,
        ("E01000001", CrimeType.ANTI_SOCIAL_BEHAVIOUR): 2,
        ("E01000002", CrimeType.ROBBERY): 1,
        ("E01000002", CrimeType.OTHER_THEFT): 1,
        ("E01000003", CrimeType.DRUGS): 1,
    }


def test_crime_without_an_lsoa_is_rejected_and_counted(met_july):
    summary = import_crime_file(path=met_july)
    assert (summary.read, summary.created, summary.updated, summary.rejected) == (9, 5, 0, 1)


def test_rows_without_coordinates_count_but_do_not_move_the_mean_point(met_july):
    import_crime_file(path=met_july)
    theft = CrimeAggregate.objects.get(lsoa_code="E01000002", crime_type=CrimeType.OTHER_THEFT)
    assert (theft.count, theft.located_count, theft.longitude, theft.latitude) == (1, 0, None, None)


def test_mean_point_is_kept_as_published_and_placed_on_the_national_grid_by_the_recompute(met_july):
    import_crime_file(path=met_july)
    robbery = CrimeAggregate.objects.get(lsoa_code="E01000002", crime_type=CrimeType.ROBBERY)
    (easting,), (northing,) = to_easting_northing([robbery.longitude], [robbery.latitude])
    # The file's point was made from E 529400, N 183300.
    assert math.dist((easting, northing), (529400, 183300)) < 10


def test_reimporting_the_same_month_replaces_it_never_doubles(met_july):
    import_crime_file(path=met_july)
    before = _counts()
    summary = import_crime_file(path=met_july)
    assert _counts() == before
    assert (summary.created, summary.updated) == (0, 5)


def test_reimport_of_a_corrected_file_removes_cells_no_longer_in_it(met_july, tmp_path):
    import_crime_file(path=met_july)
    corrected = tmp_path / met_july.name
    lines = met_july.read_text(encoding="utf-8").splitlines(keepends=True)
    corrected.write_text("".join(line for line in lines if "Drugs" not in line), encoding="utf-8")
    summary = import_crime_file(path=corrected)
    assert not CrimeAggregate.objects.filter(crime_type=CrimeType.DRUGS).exists()
    assert summary.notes["aggregates no longer in the file, removed"] == 1


def test_another_force_in_the_same_month_is_kept_apart(met_july, data_dir):
    import_crime_file(path=met_july)
    import_crime_file(path=data_dir / "crime" / "2026-07" / "2026-07-city-of-london-street.csv")
    import_crime_file(path=met_july)
    assert _counts(force="city-of-london") == {("E01000001", CrimeType.SHOPLIFTING): 1}
    assert CrimeAggregate.objects.filter(force="metropolitan").count() == 5


def test_malformed_line_names_file_and_line_and_writes_nothing(data_dir):
    path = data_dir / "crime_malformed" / "2026-09-metropolitan-street.csv"
    with pytest.raises(ImportFileError, match=r"2026-09-metropolitan-street.csv, line 3: expected 12 fields, found 6"):
        import_crime_file(path=path)
    assert not CrimeAggregate.objects.exists()
    assert not DataImport.objects.exists()


def test_a_failed_reimport_leaves_the_month_as_it_was(met_july, data_dir, tmp_path):
    import_crime_file(path=met_july)
    before = _counts()
    broken = tmp_path / met_july.name
    broken.write_text(met_july.read_text(encoding="utf-8") + "x,2026-07,Met\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 11"):
        import_crime_file(path=broken)
    assert _counts() == before


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (("Robbery", "Robery"), "unknown Crime type 'Robery'"),
        (("2026-07,Metropolitan", "2026-13,Metropolitan"), "Month '2026-13' is not YYYY-MM"),
        ((",-0.135783,", ",west,"), "coordinates 'west'"),
        ((",-0.135783,", ",NaN,"), "coordinates 'NaN'.* off the globe"),
        ((",-0.135783,", ",inf,"), "coordinates 'inf'.* off the globe"),
        ((",-0.135783,", ",-181,"), "coordinates '-181'.* off the globe"),
        ((",-0.135783,51.533784,", ",,51.533784,"), r"line 7: coordinates '', '51.533784': only one of the two"),
        ((",-0.135783,51.533784,", ",-0.135783,,"), r"line 7: coordinates '-0.135783', '': only one of the two"),
        (("E01000002", "Camden 001B"), "LSOA code 'Camden 001B' is not a code like E01000001"),
    ],
)
def test_bad_values_are_bad_input(met_july, tmp_path, replace, message):
    broken = tmp_path / met_july.name
    broken.write_text(met_july.read_text(encoding="utf-8").replace(*replace, 1), encoding="utf-8")
    with pytest.raises(ImportFileError, match=message):
        import_crime_file(path=broken)


def test_file_name_must_name_month_and_force(met_july, tmp_path):
    renamed = tmp_path / "crimes.csv"
    shutil.copy(met_july, renamed)
    with pytest.raises(ImportFileError, match="YYYY-MM-<force>-street.csv"):
        import_crime_file(path=renamed)


def test_command_imports_month_folders_of_many_forces(data_dir, capsys):
    call_command("import_crime", str(data_dir / "crime"))
    assert set(CrimeAggregate.objects.values_list("force", flat=True)) == {"metropolitan", "city-of-london"}
    assert CrimeAggregate.objects.aggregate(total=Sum("count"))["total"] == 8 + 1 + 3
    out = capsys.readouterr().out
    assert "3 files: read 13, created 8, updated 0, rejected 1" in out


def test_command_writes_good_files_and_names_the_bad_one(data_dir):
    with pytest.raises(CommandError, match="line 3.*nothing was imported from this file"):
        call_command("import_crime", str(data_dir / "crime" / "2026-08"), str(data_dir / "crime_malformed"))
    assert CrimeAggregate.objects.filter(month=datetime.date(2026, 8, 1)).count() == 2


def test_command_refuses_a_folder_without_crime_files(tmp_path):
    with pytest.raises(CommandError, match="no \\*-street.csv files"):
        call_command("import_crime", str(tmp_path))


def test_blank_lines_are_ignored(met_july, tmp_path):
    spaced = tmp_path / met_july.name
    spaced.write_text(met_july.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert import_crime_file(path=spaced).read == 9


def test_a_terminal_sees_a_progress_bar_of_files_rows_speed_and_time_left(data_dir, monkeypatch, capsys):
    monkeypatch.setattr("priorities.management.commands.import_crime._is_terminal", lambda: True)
    call_command("import_crime", str(data_dir / "crime"))
    bar = capsys.readouterr().err.rsplit("\r", 1)[-1]
    assert re.search(r"\] 3/3 files, 13 rows, [\d,]+ rows/s, 0:00 left", bar)


def test_without_a_terminal_the_import_prints_one_summary_line(data_dir, capsys):
    call_command("import_crime", str(data_dir / "crime"))
    output = capsys.readouterr()
    assert output.err == ""
    assert re.fullmatch(
        r"3 files: read 13, created 8, updated 0, rejected 1 in [\d.]+s \([\d,]+ rows/s\)\n", output.out
    )


def _read_line_by_line_with_progress_every_two_rows(monkeypatch):
    # The COPY import reports no rows until a file is done; the line-by-line reader reports as it reads.
    monkeypatch.setattr(services, "_import_crime_by_copy", mock_raise(services._ReadLineByLine()))
    monkeypatch.setattr("priorities.importers.PROGRESS_EVERY_ROWS", 2)


def test_rows_read_within_a_file_move_the_progress_bar(data_dir, monkeypatch, capsys):
    _read_line_by_line_with_progress_every_two_rows(monkeypatch)
    monkeypatch.setattr("priorities.management.commands.import_crime._is_terminal", lambda: True)
    call_command("import_crime", str(data_dir / "crime"), "--jobs", "1")
    drawn = capsys.readouterr().err.split("\r")
    # The first file's 1 row, then 2 rows read in the second file, before it is done.
    assert any(re.search(r"\] 1/3 files, 3 rows, ", bar) for bar in drawn)
    assert all("rows read" not in bar for bar in drawn)


def test_progress_is_reported_even_when_the_row_at_the_mark_is_skipped(met_july, monkeypatch):
    # Every third row: the ninth is the file's row without an LSOA, rejected before it is counted.
    monkeypatch.setattr(services, "_import_crime_by_copy", mock_raise(services._ReadLineByLine()))
    monkeypatch.setattr("priorities.importers.PROGRESS_EVERY_ROWS", 3)
    reported: list[int] = []
    import_crime_file(path=met_july, progress=lambda name, rows: reported.append(rows))
    assert reported == [3, 6, 9]


def test_without_a_terminal_rows_read_within_a_file_print_nothing(data_dir, monkeypatch, capsys):
    _read_line_by_line_with_progress_every_two_rows(monkeypatch)
    call_command("import_crime", str(data_dir / "crime"), "--jobs", "1")
    output = capsys.readouterr()
    assert output.err == ""
    assert output.out.startswith("3 files: read 13, created 8, updated 0, rejected 1 in ")


def test_a_database_failure_is_one_line_naming_the_file_and_the_files_kept(data_dir, monkeypatch):
    from django.db import OperationalError

    real_record = services._record_import
    calls = []

    def database_gone_on_the_third_file(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("terminating connection due to administrator command\nSSL SYSCALL error")
        return real_record(*args, **kwargs)

    # Recorded last, inside the file's transaction, on either database.
    monkeypatch.setattr(services, "_record_import", database_gone_on_the_third_file)
    with pytest.raises(CommandError) as failure:
        call_command("import_crime", str(data_dir / "crime"))
    assert str(failure.value) == (
        "2026-08-metropolitan-street.csv: the database failed (OperationalError: terminating connection due to "
        "administrator command); nothing was imported from this file; kept, imported before it: "
        "2026-07-city-of-london-street.csv, 2026-07-metropolitan-street.csv. Run the same command again once the "
        "database is back: files already imported are replaced, not duplicated."
    )
    # The interrupted file was rolled back; the two before it stay.
    assert not CrimeAggregate.objects.filter(month=datetime.date(2026, 8, 1)).exists()
    assert CrimeAggregate.objects.filter(month=datetime.date(2026, 7, 1)).exists()


def test_a_database_failure_on_the_first_file_says_no_file_was_kept(met_july, monkeypatch):
    from django.db import InterfaceError

    monkeypatch.setattr("priorities.services._record_import", mock_raise(InterfaceError("connection already closed")))
    with pytest.raises(CommandError, match="; no file was imported before it. Run the same command again"):
        call_command("import_crime", str(met_july))


def _count_statistics_refreshes(monkeypatch) -> list[int]:
    refreshes: list[int] = []
    monkeypatch.setattr(
        "priorities.management.commands.import_crime.refresh_crime_statistics", lambda: refreshes.append(1)
    )
    return refreshes


def test_the_planner_statistics_are_refreshed_once_after_the_import(data_dir, monkeypatch):
    refreshes = _count_statistics_refreshes(monkeypatch)
    call_command("import_crime", str(data_dir / "crime"))
    assert refreshes == [1]


def test_the_statistics_are_refreshed_for_the_files_kept_before_a_bad_file(data_dir, monkeypatch):
    refreshes = _count_statistics_refreshes(monkeypatch)
    with pytest.raises(CommandError):
        call_command("import_crime", str(data_dir / "crime" / "2026-08"), str(data_dir / "crime_malformed"))
    assert refreshes == [1]


def test_nothing_is_refreshed_when_the_first_file_is_bad(data_dir, monkeypatch):
    refreshes = _count_statistics_refreshes(monkeypatch)
    with pytest.raises(CommandError):
        call_command("import_crime", str(data_dir / "crime_malformed"))
    assert refreshes == []


def test_a_refresh_the_database_cannot_answer_leaves_the_failure_as_it_was(data_dir, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(
        "priorities.management.commands.import_crime.refresh_crime_statistics",
        mock_raise(OperationalError("server closed the connection unexpectedly")),
    )
    with pytest.raises(CommandError, match="line 3.*nothing was imported from this file"):
        call_command("import_crime", str(data_dir / "crime" / "2026-08"), str(data_dir / "crime_malformed"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's; SQLite plans without it")
def test_refreshing_the_statistics_analyses_the_aggregate_table():
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.refresh_crime_statistics()
    assert [query["sql"] for query in queries] == ['ANALYZE "priorities_crimeaggregate"']


def mock_raise(error):
    def raise_it(*args, **kwargs):
        raise error

    return raise_it


AUGUST = datetime.date(2026, 8, 1)


def _august_total(data_dir) -> int:
    import_crime_file(path=data_dir / "crime" / "2026-08" / "2026-08-metropolitan-street.csv")
    return CrimeAggregate.objects.filter(month=AUGUST).aggregate(total=Sum("count"))["total"]


def test_a_row_of_another_month_is_refused_with_file_and_line(met_july, data_dir, tmp_path):
    august_total = _august_total(data_dir)
    july = tmp_path / met_july.name
    lines = met_july.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace("2026-07", "2026-08", 1)
    july.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"2026-07-metropolitan-street.csv, line 5: Month '2026-08' is not "):
        import_crime_file(path=july)
    assert CrimeAggregate.objects.filter(month=AUGUST).aggregate(total=Sum("count"))["total"] == august_total
    assert not CrimeAggregate.objects.filter(month=JULY).exists()


def test_reimporting_a_month_leaves_the_other_months_untouched(met_july, data_dir):
    _august_total(data_dir)
    august = _counts(month=AUGUST)
    import_crime_file(path=met_july)
    import_crime_file(path=met_july)
    assert _counts(month=AUGUST) == august


def test_a_repeated_crime_id_in_a_force_month_is_counted_once(met_july, tmp_path):
    lines = met_july.read_text(encoding="utf-8").splitlines(keepends=True)
    repeated = tmp_path / met_july.name
    # The first data row (a violent crime with a Crime ID) appears again at the end of the file.
    repeated.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    summary = import_crime_file(path=repeated)
    assert _counts(month=JULY)[("E01000001", CrimeType.VIOLENCE_AND_SEXUAL_OFFENCES)] == 3
    assert (summary.read, summary.notes["repeated Crime ID, counted once"]) == (10, 1)


def test_a_repeated_crime_id_of_another_month_is_refused_with_file_and_line(met_july, tmp_path):
    lines = met_july.read_text(encoding="utf-8").splitlines(keepends=True)
    repeated = tmp_path / met_july.name
    # The repeat would be left out of the count, but its month is still checked, as every row's is.
    repeated.write_text("".join([*lines, lines[1].replace(",2026-07,", ",2026-08,", 1)]), encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"2026-07-metropolitan-street.csv, line 11: Month '2026-08' is not "):
        import_crime_file(path=repeated)
    assert not CrimeAggregate.objects.exists()


def _archive(tmp_path, data_dir, *, extra: dict[str, str] | None = None):
    archive = tmp_path / "police-uk-download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted((data_dir / "crime").rglob("*-street.csv")):
            zipped.write(path, f"{path.parent.name}/{path.name}")
        zipped.writestr("2026-07/2026-07-metropolitan-outcomes.csv", "Crime ID,Month\n")
        for name, text in (extra or {}).items():
            zipped.writestr(name, text)
    return archive


def test_the_police_uk_zip_archive_is_read_as_downloaded(data_dir, tmp_path, capsys):
    call_command("import_crime", str(_archive(tmp_path, data_dir)))
    assert "3 files: read 13, created 8" in capsys.readouterr().out
    assert set(CrimeAggregate.objects.values_list("force", flat=True)) == {"metropolitan", "city-of-london"}


def test_a_bad_line_in_the_archive_names_the_archive_member_and_line(data_dir, tmp_path):
    bad = (data_dir / "crime_malformed" / "2026-09-metropolitan-street.csv").read_text(encoding="utf-8")
    archive = _archive(tmp_path, data_dir, extra={"2026-09/2026-09-metropolitan-street.csv": bad})
    with pytest.raises(CommandError, match=r"zip:2026-09/2026-09-metropolitan-street.csv, line 3: expected 12"):
        call_command("import_crime", str(archive))
    assert not CrimeAggregate.objects.filter(month=datetime.date(2026, 9, 1)).exists()
    assert CrimeAggregate.objects.filter(month=AUGUST).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY import is PostgreSQL's")
def test_the_copy_import_and_the_line_by_line_reader_give_the_same_figures(data_dir, monkeypatch):
    files = sorted((data_dir / "crime").rglob("*-street.csv"))
    for path in files:
        import_crime_file(path=path)
    by_copy = _all_aggregates()
    monkeypatch.setattr(services, "_import_crime_by_copy", mock_raise(services._ReadLineByLine()))
    for path in files:
        import_crime_file(path=path)
    assert _all_aggregates() == by_copy


def _all_aggregates() -> list[tuple]:
    rows = CrimeAggregate.objects.order_by("month", "force", "lsoa_code", "crime_type")
    return [
        (*row[:6], None if row[6] is None else round(row[6], 9), None if row[7] is None else round(row[7], 9))
        for row in rows.values_list(
            "month", "force", "lsoa_code", "crime_type", "count", "located_count", "longitude", "latitude"
        )
    ]
