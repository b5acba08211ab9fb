"""Load pupil census counts by ethnicity (the denominators of search rates) from a CSV file."""

from django.core.management.base import BaseCommand, CommandError

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
        self.stdout.write(f"{path}: {counts['created']} created, {counts['updated']} updated")
