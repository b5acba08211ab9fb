from pathlib import Path

from priorities.importers import BoundaryLevel
from priorities.services import DEFAULT_OUTLINE_TOLERANCE_M, import_boundary_file

from ._base import ImportCommand

# Codes listed in full at most: a national file leaves hundreds unmatched.
LISTED_AT_MOST = 10


class Command(ImportCommand):
    help = (
        "Store the outlines of the portal's local authorities or wards, drawn under the school maps, from an ONS "
        "boundary GeoJSON file (WGS84 or British National Grid), matched by GSS code (LADyyCD or WDyyCD) and "
        "simplified. One transaction: a bad feature stops the file and nothing of it is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--level",
            choices=BoundaryLevel.CHOICES,
            help="la (local authority districts) or ward; by default, from the file's code column.",
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DEFAULT_OUTLINE_TOLERANCE_M,
            help=f"Simplify outlines to within this many metres (default {DEFAULT_OUTLINE_TOLERANCE_M}).",
        )

    def handle(self, *args, file: Path, level: str | None, tolerance: float, **options):
        summary = self.run_import(
            file,
            lambda path, progress: import_boundary_file(
                path=path, level=level, tolerance_m=tolerance, progress=progress
            ),
        )
        if self.verbosity >= 1:
            self.stdout.write(f"Points kept after simplifying to {tolerance:g} m: {summary.points_kept:,}")
            if summary.unmatched_codes:
                self.stdout.write(f"Codes not in the portal: {_listed(summary.unmatched_codes)}")
            if summary.without_outline:
                self.stdout.write(f"In the portal, with no outline in this file: {_listed(summary.without_outline)}")


def _listed(items: list[str]) -> str:
    if len(items) <= LISTED_AT_MOST:
        return ", ".join(items)
    return ", ".join(items[:LISTED_AT_MOST]) + f" and {len(items) - LISTED_AT_MOST} more"
