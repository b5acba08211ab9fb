from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = "SSO workspace"

    def ready(self) -> None:
        from workspace import (
            chronology,
            reminders,  # noqa: F401 (registers the reminder kinds)
        )

        chronology.register()
