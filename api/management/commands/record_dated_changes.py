"""Record in the change feed what the date alone changed since the last run (what beat runs daily)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from api.changes import record_dated_changes


class Command(BaseCommand):
    help = (
        "Record in the council change feed the date-driven changes (postings started or ended, training "
        "expiring or expired) of every day since the last run up to today; a second run the same day records none."
    )

    def handle(self, *args, **options):
        recorded = record_dated_changes(today=timezone.localdate())
        self.stdout.write(f"{recorded} date-driven changes recorded.")
