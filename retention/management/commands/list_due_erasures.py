import datetime

from django.core.management.base import BaseCommand

from retention.services import list_due_erasures


class Command(BaseCommand):
    help = (
        "List the records whose retention period has passed, for review (the nightly job, at once). Deletes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=datetime.date.fromisoformat, help="The day to list for (YYYY-MM-DD); today by default."
        )

    def handle(self, *args, **options):
        listing = list_due_erasures(on=options["on"])
        for record_type, added in listing.added.items():
            self.stdout.write(
                f"{record_type}: {added} added, {listing.updated[record_type]} updated, "
                f"{listing.removed[record_type]} removed"
            )
