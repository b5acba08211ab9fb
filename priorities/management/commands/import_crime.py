from pathlib import Path

from django.core.management.base import CommandError

from priorities.services import import_crime_file, refresh_crime_statistics

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import police.uk street-level crime files (YYYY-MM-<force>-street.csv), or month folders of them. "
        "Each file replaces that force's aggregates for its months; one transaction per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files, or folders searched for *-street.csv.")

    def handle(self, *args, paths: list[Path], **options):
        files = []
        for path in paths:
            if path.is_dir():
                found = sorted(path.rglob("*-street.csv"))
                if not found:
                    raise CommandError(f"{path}: no *-street.csv files in this folder")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        totals = {"read": 0, "created": 0, "updated": 0, "rejected": 0}
        for number, file in enumerate(files, start=1):
            if self.verbosity >= 1 and len(files) > 1:
                self.stderr.write(f"[{number}/{len(files)}] {file}")
            summary = self.run_import(file, import_crime_file)
            for name in totals:
                totals[name] += getattr(summary, name)
        refresh_crime_statistics()
        if len(files) > 1:
            self.stdout.write(
                f"{len(files)} files: read {totals['read']}, created {totals['created']}, "
                f"updated {totals['updated']}, rejected {totals['rejected']}"
            )
