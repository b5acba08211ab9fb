"""Shared shape of the import commands: run a service per file, print summaries and progress, and
turn a failure into one line naming the file and the files already kept."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError

from priorities.importers import ImportFileError, ImportSummary


class ImportCommand(BaseCommand):
    # The files imported by this run so far: each was committed in its own transaction and is kept.
    imported: list[Path]

    def progress(self, file_name: str, rows: int) -> None:
        if self.verbosity >= 1:
            self.stderr.write(f"  {Path(file_name).name}: {rows:,} rows read…")

    def run_import(
        self, path: Path, importer, *, check_file: bool = True, summary_verbosity: int = 1
    ) -> ImportSummary:
        """Run ``importer`` on one file; its summary is printed from ``summary_verbosity`` up."""
        if check_file and not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.perf_counter()
        try:
            summary = importer(path=path, progress=self.progress)
        except (ImportFileError, DatabaseError) as error:
            raise self.import_failed(path, error) from error
        self.imported_file(path, summary, time.perf_counter() - started, summary_verbosity=summary_verbosity)
        return summary

    def imported_file(self, path: Path, summary: ImportSummary, seconds: float, *, summary_verbosity: int) -> None:
        """Count ``path`` among the files kept, and print its summary from ``summary_verbosity`` up."""
        self.imported.append(path)
        if self.verbosity >= summary_verbosity:
            self.stdout.write(f"{summary} in {seconds:.1f}s")

    def import_failed(self, path: Path, error: ImportFileError | DatabaseError) -> CommandError:
        """The one line a failed file ends the command with: what went wrong, and the files kept."""
        if isinstance(error, ImportFileError):
            return CommandError(f"{error} (nothing was imported from this file){self._kept()}")
        # A database stopped, restarted or refusing: one line, not a traceback.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason given"
        return CommandError(
            f"{path.name}: the database failed ({type(error).__name__}: {reason}); nothing was imported from "
            f"this file{self._kept()}. Run the same command again once the database is back: files already "
            "imported are replaced, not duplicated."
        )

    def _kept(self) -> str:
        if not self.imported:
            return "; no file was imported before it"
        return f"; kept, imported before it: {', '.join(path.name for path in self.imported)}"

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        self.imported = []
        return super().execute(*args, **options)
