"""Load pupil census counts by ethnicity (the denominators of search rates) from a CSV file."""

from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError

from searches.services import POPULATION_COLUMNS, PopulationImportError, import_pupil_population


class Command(BaseCommand):
    help = f"Load pupil counts per local authority, year and 18+1 ethnicity. Columns: {', '.join(POPULATION_COLUMNS)}."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file (UTF-8), one row per local authority, year and ethnicity code.")

    def handle(self, *args, path: str, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as file:
                counts = import_pupil_population(lines=file, source_name=path)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text ({error.reason})") from error
        except PopulationImportError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason given"
            raise CommandError(
                f"{path}: the database failed ({type(error).__name__}: {reason}); nothing was imported from this "
                "file. Run the same command again once the database is back."
            ) from error
        self.stdout.write(f"{path}: {counts['created']} created, {counts['updated']} updated")
