"""Write the monthly open-data CSV of searches (schema: docs/bcu-managers.md, "Open data")."""

from django.core.management.base import BaseCommand, CommandError

from searches.open_data import parse_month, write_open_data_csv


class Command(BaseCommand):
    help = "Write one month's suppressed open-data CSV of searches of children, for publication."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="The month to export, as YYYY-MM.")
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, month: str, output: str | None, **options):
        try:
            first_day = parse_month(month)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if output is None:
            write_open_data_csv(self.stdout, month=first_day)
            return
        try:
            with open(output, "w", encoding="utf-8", newline="") as file:
                count = write_open_data_csv(file, month=first_day)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from error
        self.stderr.write(f"Wrote {count} rows for {first_day:%Y-%m} to {output}")
