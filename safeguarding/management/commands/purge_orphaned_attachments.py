from django.core.management.base import BaseCommand

from safeguarding.services import purge_orphaned_attachment_files


class Command(BaseCommand):
    help = (
        "Delete concern attachment files that no attachment row points to (left by rolled-back "
        "uploads or rows deleted outside the portal) and that are more than an hour old."
    )

    def handle(self, *args, **options) -> None:
        purged = purge_orphaned_attachment_files()
        self.stdout.write(f"Deleted {len(purged)} orphaned attachment file(s).")
