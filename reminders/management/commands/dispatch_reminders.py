import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.services import days_to_dispatch, dispatch_reminders


class Command(BaseCommand):
    help = (
        "Dispatch the reminders due, as the daily job does: every day since the last complete dispatch, "
        "or the days given. Reminders already sent are never sent again."
    )

    def add_arguments(self, parser):
        days = parser.add_mutually_exclusive_group()
        days.add_argument("--on", type=datetime.date.fromisoformat, help="Replay one day (YYYY-MM-DD).")
        days.add_argument(
            "--since", type=datetime.date.fromisoformat, help="Replay every day from this one (YYYY-MM-DD) to today."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["on"]:
            days = [options["on"]]
        elif options["since"]:
            if options["since"] > today:
                raise CommandError(f"--since {options['since']} is after today ({today}).")
            days = [options["since"] + datetime.timedelta(days=n) for n in range((today - options["since"]).days + 1)]
        else:
            days = days_to_dispatch(today=today)
        result = dispatch_reminders(days=days)
        self.stdout.write(
            f"Dispatched the reminders due from {days[0]} to {days[-1]}: {result.recorded} due "
            "(each sent once; those already sent are skipped)."
        )
        if result.failed:
            failed = ", ".join(f"{kind} on {day}" for day, kind in result.failed)
            raise CommandError(f"These kinds failed (see the log): {failed}")
