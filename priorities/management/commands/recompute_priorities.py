import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from priorities.services import NoScoringModel, recompute_priorities


class Command(BaseCommand):
    help = "Score every open school with the active scoring model and write a new priority run."
    # A nightly batch job: the system checks (run on every deployment) would import every URL
    # configuration and view first, a third of the command's start-up, for nothing it uses.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--scoring-model", type=int, help="Id of the scoring model (default: the active one).")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="Score as on this date, YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--in-python",
            action="store_true",
            help="Score in Python, as on SQLite, even on PostgreSQL (slower; the same figures, for comparison).",
        )

    def handle(self, *args, scoring_model=None, as_of=None, in_python=False, **options):
        started = time.perf_counter()
        try:
            run = recompute_priorities(
                scoring_model_id=scoring_model, as_of=as_of, in_sql=False if in_python else None
            )
        except NoScoringModel as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Run {run.pk}: scored {run.school_count} schools with {run.scoring_model} in {seconds:.2f}s."
        )
