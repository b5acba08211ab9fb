"""Several crime files imported at once, each on its own connection (PostgreSQL, outside a transaction)."""

import datetime
import re
import shutil
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from priorities import services
from priorities.models import CrimeAggregate, DataImport

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="files are imported at once only on PostgreSQL; SQLite imports serially"
)
# Committed for real: a thread's connection would neither see nor be undone with a test's transaction.
committed = pytest.mark.django_db(transaction=True)

FORCES = ["metropolitan", "kent", "essex", "surrey"]


@pytest.fixture
def many_files(data_dir, tmp_path):
    """Two months of four forces: the test files under other forces' names."""
    for month in ("2026-07", "2026-08"):
        original = data_dir / "crime" / month / f"{month}-metropolitan-street.csv"
        (tmp_path / month).mkdir()
        for force in FORCES:
            shutil.copy(original, tmp_path / month / f"{month}-{force}-street.csv")
    return tmp_path


def _aggregates() -> list[tuple]:
    return list(
        CrimeAggregate.objects.order_by("month", "force", "lsoa_code", "crime_type").values_list(
            "month", "force", "lsoa_code", "crime_type", "count", "located_count", "longitude", "latitude"
        )
    )


def _recording_threads(monkeypatch) -> list[tuple[str, str, float, float]]:
    """Each file imported: (its force and month, the thread, started, ended); slowed to widen any overlap."""
    calls = []
    real_import = services.import_crime_file

    def recorded(**kwargs):
        started = time.monotonic()
        time.sleep(0.05)
        summary = real_import(**kwargs)
        source = kwargs["source"]
        calls.append(
            (f"{source.month:%Y-%m} {source.force}", threading.current_thread().name, started, time.monotonic())
        )
        return summary

    monkeypatch.setattr(services, "import_crime_file", recorded)
    return calls


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_one_or_more(data_dir, jobs):
    with pytest.raises(CommandError, match=r"--jobs: '.*' is not a number of files to import at once \(1 or more\)"):
        call_command("import_crime", str(data_dir / "crime"), f"--jobs={jobs}")


@pytest.mark.django_db
def test_inside_a_transaction_the_files_are_imported_on_the_callers_thread(many_files, monkeypatch):
    calls = _recording_threads(monkeypatch)
    call_command("import_crime", str(many_files), "--jobs=4")
    assert {thread for _, thread, _, _ in calls} == {threading.current_thread().name}


@needs_postgresql
@committed
def test_files_imported_at_once_give_the_same_aggregates_as_one_after_another(many_files):
    call_command("import_crime", str(many_files), "--jobs=1")
    serial = _aggregates()
    CrimeAggregate.objects.all().delete()
    call_command("import_crime", str(many_files), "--jobs=3")
    assert _aggregates() == serial
    assert DataImport.objects.count() == 2 * 2 * len(FORCES)


@needs_postgresql
@committed
def test_files_are_imported_on_threads_and_a_forces_files_one_after_another_in_order(many_files, monkeypatch):
    calls = _recording_threads(monkeypatch)
    call_command("import_crime", str(many_files), "--jobs=4")
    assert threading.current_thread().name not in {thread for _, thread, _, _ in calls}
    for force in FORCES:
        july, august = (call for call in calls if call[0].endswith(force))
        assert july[0].startswith("2026-07")
        assert july[3] <= august[2]


@needs_postgresql
@committed
def test_a_bad_file_stops_the_run_names_its_line_and_keeps_only_the_files_committed(many_files, data_dir):
    shutil.copy(data_dir / "crime_malformed" / "2026-09-metropolitan-street.csv", many_files / "2026-07")
    with pytest.raises(CommandError) as failure:
        call_command("import_crime", str(many_files), "--jobs=2")
    message = str(failure.value)
    assert re.match(
        r".*2026-09-metropolitan-street.csv, line 3: expected 12 fields, found 6 \(nothing was imported from this "
        r"file\); (kept, imported before it: |no file was imported before it)",
        message,
    )
    kept = set(re.findall(r"(\d{4}-\d{2})-([a-z-]+)-street\.csv", message.split("; ", 1)[1]))
    written = {(f"{month:%Y-%m}", force) for month, force in CrimeAggregate.objects.values_list("month", "force")}
    assert written == kept
    assert set(DataImport.objects.values_list("file_name", flat=True)) == {
        f"{month}-{force}-street.csv" for month, force in kept
    }
    assert not CrimeAggregate.objects.filter(month=datetime.date(2026, 9, 1)).exists()
