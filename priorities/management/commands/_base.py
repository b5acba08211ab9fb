"""Shared shape of the import commands: run a service per file, print summaries and progress."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from priorities.importers import ImportFileError, ImportSummary


class ImportCommand(BaseCommand):
    def progress(self, file_name: str, rows: int) -> None:
        if self.verbosity >= 1:
            self.stderr.write(f"  {Path(file_name).name}: {rows:,} rows read…")

    def run_import(self, path: Path, importer) -> ImportSummary:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.perf_counter()
        try:
            summary = importer(path=path, progress=self.progress)
        except ImportFileError as error:
            raise CommandError(f"{error} (nothing was imported from this file)") from error
        elapsed = time.perf_counter() - started
        if self.verbosity >= 1:
            self.stdout.write(f"{summary} in {elapsed:.1f}s")
        return summary

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)
