from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from safeguarding import (
            chronology_sources,
            reminders,  # noqa: F401 (registers the reminder kinds)
        )

        chronology_sources.register()
