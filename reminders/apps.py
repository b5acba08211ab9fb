from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        # Registers the "posting-review" reminder kind (officers/reminders.py holds the training kinds).
        from . import kinds_postings  # noqa: F401
