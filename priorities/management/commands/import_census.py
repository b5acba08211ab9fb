from pathlib import Path

from priorities.services import import_census_file

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Set pupil counts and free school meals figures of known schools from a DfE school-level census file "
        "(utf-8 or Windows-1252; x, u, c, z are missing values)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        self.run_import(file, import_census_file)
