import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.db import Error as DatabaseError

from priorities.importers import CrimeSource, ImportFileError, crime_sources
from priorities.services import CrimeFileFailed, import_crime_files, refresh_crime_statistics

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import police.uk street-level crime files (YYYY-MM-<force>-street.csv), month folders of them, or the "
        "zip archive as downloaded from police.uk. Each file replaces that force's aggregates for its month; "
        "one transaction per file; on PostgreSQL several files at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, help="Files, folders searched for *-street.csv, or police.uk zip archives."
        )
        parser.add_argument(
            "--jobs",
            type=_jobs,
            # A file's thread also waits (round trips, its commit): twice the CPUs keeps them busy.
            default=min(4, 2 * (os.cpu_count() or 1)),
            help="Files imported at once on PostgreSQL, each on its own connection (default: twice the CPUs, at "
            "most 4); 1 imports them one after another.",
        )

    def handle(self, *args, paths: list[Path], jobs: int, **options):
        try:
            sources = crime_sources(paths)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self.stderr.style_func = None  # the progress bar is not an error: no red
        progress = ImportProgress(sources, stream=self.stderr, enabled=self.verbosity >= 1 and _is_terminal())
        totals = {"read": 0, "created": 0, "updated": 0, "rejected": 0}
        repeated = 0
        try:
            # Per-file summaries from -v 2: by default a progress bar on a terminal, then one line.
            # Rows read within a file (only when files are read line by line, one after another)
            # move the bar too; without a terminal nothing is printed until the summary.
            for done in import_crime_files(sources=sources, jobs=jobs, progress=progress.reading):
                self.imported_file(Path(done.source.name), done.summary, done.seconds, summary_verbosity=2)
                for name in totals:
                    totals[name] += getattr(done.summary, name)
                repeated += done.summary.notes.get("repeated Crime ID, counted once", 0)
                progress.done(done.source, done.summary.read)
        except CrimeFileFailed as failure:
            progress.finish()
            if self.imported:
                # The files before the failure are committed: the planner must know them too.
                _refresh_statistics_if_the_database_answers()
            raise self.import_failed(Path(failure.source.name), failure.error) from failure.error
        progress.finish()
        refresh_crime_statistics()
        if self.verbosity >= 1:
            elapsed = max(progress.elapsed(), 1e-9)
            self.stdout.write(
                f"{len(sources)} file{'s' if len(sources) != 1 else ''}: read {totals['read']}, created "
                f"{totals['created']}, updated {totals['updated']}, rejected {totals['rejected']}"
                + (f", repeated Crime IDs counted once {repeated}" if repeated else "")
                + f" in {elapsed:.1f}s ({totals['read'] / elapsed:,.0f} rows/s)"
            )


def _refresh_statistics_if_the_database_answers() -> None:
    # The failure may be the database itself: autovacuum analyses the table once it is back.
    with contextlib.suppress(DatabaseError):
        refresh_crime_statistics()


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of files to import at once (1 or more)")
    return jobs


def _is_terminal() -> bool:
    return sys.stderr.isatty()


class ImportProgress:
    """A one-line progress bar on a terminal: files, rows, rows/s and the time left (estimated from
    the bytes still to read); nothing when the output is not a terminal."""

    WIDTH = 24

    def __init__(self, sources: list[CrimeSource], *, stream, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.files, self.total_bytes = len(sources), sum(source.size for source in sources) or 1
        self.done_files = self.done_bytes = self.rows = 0
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def done(self, source: CrimeSource, rows: int) -> None:
        self.done_files += 1
        self.done_bytes += source.size
        self.rows += rows
        self._draw(self.rows)

    def reading(self, file_name: str, rows: int) -> None:
        """Rows read so far in the file being imported (the files before it are in ``rows``)."""
        self._draw(self.rows + rows)

    def _draw(self, rows: int) -> None:
        if not self.enabled:
            return
        elapsed = self.elapsed()
        share = min(1.0, self.done_bytes / self.total_bytes)
        left = elapsed / share - elapsed if share else 0.0
        filled = round(self.WIDTH * share)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done_files}/{self.files} files, "
            f"{rows:,} rows, {rows / max(elapsed, 1e-9):,.0f} rows/s, "
            f"{int(left) // 60}:{int(left) % 60:02d} left ",
            ending="",
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("")
