"""How the concurrent crime import hands out files (``CrimeImportPool``), with an import function
standing in for the database: which file goes next, a force's files one at a time and in order,
and what happens when a file fails. The database side runs on PostgreSQL
(test_import_crime_concurrent.py)."""

import io
import threading
import time

import pytest

from priorities.importers import CrimeSource, ImportFileError, ImportSummary
from priorities.services import CrimeFileFailed, CrimeImportPool


def _source(month: str, force: str, size: int = 100) -> CrimeSource:
    name = f"{month}-{force}-street.csv"
    return CrimeSource(name=name, file_name=name, size=size, open_binary=lambda: io.BytesIO(b""))


class _Recorder:
    """An import that notes when each file starts and ends, taking ``seconds`` per file."""

    def __init__(self, seconds: float = 0.0, fail: str | None = None, error: BaseException | None = None) -> None:
        self.seconds, self.fail, self.error = seconds, fail, error
        self.events: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, source: CrimeSource) -> ImportSummary:
        with self.lock:
            self.events.append(("start", source.name))
        time.sleep(self.seconds)
        if source.name == self.fail:
            raise self.error or ImportFileError(source.name, 7, "bad value")
        with self.lock:
            self.events.append(("end", source.name))
        return ImportSummary(source.file_name, read=source.size)

    def started(self) -> list[str]:
        return [name for event, name in self.events if event == "start"]


def test_every_file_is_imported_once_and_reported_with_its_summary():
    sources = [_source(month, force) for month in ("2026-07", "2026-08") for force in ("kent", "essex", "surrey")]
    recorder = _Recorder()

    imported = list(CrimeImportPool(sources, 3, recorder).run())

    assert sorted(item.source.name for item in imported) == sorted(source.name for source in sources)
    assert all(item.summary.read == 100 for item in imported)


def test_the_largest_next_file_of_a_free_force_goes_first():
    sources = [_source("2026-07", "kent", 10), _source("2026-07", "essex", 30), _source("2026-07", "surrey", 20)]
    recorder = _Recorder()

    list(CrimeImportPool(sources, 1, recorder).run())

    assert recorder.started() == ["2026-07-essex-street.csv", "2026-07-surrey-street.csv", "2026-07-kent-street.csv"]


def test_a_forces_months_are_imported_in_the_order_given_even_when_a_later_one_is_larger():
    sources = [_source("2026-07", "kent", 10), _source("2026-08", "kent", 50)]
    recorder = _Recorder()

    list(CrimeImportPool(sources, 2, recorder).run())

    assert recorder.started() == ["2026-07-kent-street.csv", "2026-08-kent-street.csv"]


def test_two_files_of_one_force_never_run_at_the_same_time():
    sources = [_source(month, "kent") for month in ("2026-06", "2026-07", "2026-08")] + [_source("2026-07", "essex")]
    recorder = _Recorder(seconds=0.02)

    list(CrimeImportPool(sources, 4, recorder).run())

    running: set[str] = set()
    for event, name in recorder.events:
        if event == "start" and "kent" in name:
            assert not running, f"{name} started while {running} was running"
            running.add(name)
        elif event == "end":
            running.discard(name)


def test_a_bad_file_stops_the_run_and_names_the_file_and_line():
    sources = [_source("2026-07", force, size) for force, size in (("kent", 30), ("essex", 20), ("surrey", 10))]
    recorder = _Recorder(fail="2026-07-kent-street.csv")

    with pytest.raises(CrimeFileFailed) as failure:
        list(CrimeImportPool(sources, 1, recorder).run())

    assert failure.value.source.name == "2026-07-kent-street.csv"
    assert "7" in str(failure.value.error)
    assert recorder.started() == ["2026-07-kent-street.csv"]  # nothing started after it


def test_files_already_under_way_when_one_fails_finish_and_are_reported():
    sources = [_source("2026-07", "kent", 30), _source("2026-07", "essex", 20)]
    essex_started = threading.Event()

    def import_file(source: CrimeSource) -> ImportSummary:
        # Kent fails only once Essex is under way, however slowly the threads start.
        if "essex" in source.name:
            essex_started.set()
            return ImportSummary(source.file_name, read=source.size)
        assert essex_started.wait(timeout=10)
        raise ImportFileError(source.name, 7, "bad value")

    imported = []

    with pytest.raises(CrimeFileFailed):
        for item in CrimeImportPool(sources, 2, import_file).run():
            imported.append(item.source.name)

    assert imported == ["2026-07-essex-street.csv"]


def test_an_unexpected_error_in_a_file_is_raised_as_it_is():
    sources = [_source("2026-07", "kent"), _source("2026-07", "essex")]
    recorder = _Recorder(fail="2026-07-kent-street.csv", error=RuntimeError("disk gone"))

    with pytest.raises(RuntimeError, match="disk gone"):
        list(CrimeImportPool(sources, 2, recorder).run())


def test_a_file_whose_name_names_no_force_is_handed_out_under_its_own_name():
    odd = CrimeSource(name="notes.csv", file_name="notes.csv", size=5, open_binary=lambda: io.BytesIO(b""))
    recorder = _Recorder()

    imported = list(CrimeImportPool([odd, _source("2026-07", "kent")], 2, recorder).run())

    assert sorted(item.source.name for item in imported) == ["2026-07-kent-street.csv", "notes.csv"]


def test_fewer_than_one_job_is_refused():
    from priorities.services import import_crime_files

    with pytest.raises(ValueError, match="at least 1"):
        list(import_crime_files(sources=[_source("2026-07", "kent")], jobs=0))


def test_the_line_by_line_readers_progress_names_the_file_and_the_rows_read():
    from priorities.management.commands.import_crime import Command

    command = Command(stderr=io.StringIO())
    command.verbosity = 1

    command.progress("crime/2026-07/2026-07-kent-street.csv", 120_000)

    assert command.stderr.getvalue() == "  2026-07-kent-street.csv: 120,000 rows read…\n"
