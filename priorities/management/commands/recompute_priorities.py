import datetime

from django.core.management.base import BaseCommand, CommandError

from priorities.services import NoScoringModel, recompute_priorities


class Command(BaseCommand):
    help = "Score every open school with the active scoring model and write a new priority run."

    def add_arguments(self, parser):
        parser.add_argument("--scoring-model", type=int, help="Id of the scoring model (default: the active one).")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="Score as on this date, YYYY-MM-DD (default: today)."
        )

    def handle(self, *args, scoring_model=None, as_of=None, **options):
        try:
            run = recompute_priorities(scoring_model_id=scoring_model, as_of=as_of)
        except NoScoringModel as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Run {run.pk}: scored {run.school_count} schools with {run.scoring_model}.")
