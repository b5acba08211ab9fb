from django.apps import AppConfig


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = "Officers and postings"

    def ready(self) -> None:
        # Registers the training reminder kinds with the reminders framework.
        from . import reminders  # noqa: F401
