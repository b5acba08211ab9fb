from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools"

    def ready(self) -> None:
        # Registers the "dsl-reconfirm" reminder kind.
        from . import reminders  # noqa: F401
