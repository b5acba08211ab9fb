from pathlib import Path

from priorities.services import import_gias_file

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Upsert schools by URN from a GIAS extract (edubasealldataYYYYMMDD.csv, Windows-1252). "
        "Only open state-funded schools are added unless --all; schools already known are always updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--all", dest="include_all", action="store_true", help="Add closed and non-state-funded schools too."
        )

    def handle(self, *args, file: Path, include_all: bool, **options):
        self.run_import(file, lambda **kwargs: import_gias_file(include_all=include_all, **kwargs))
