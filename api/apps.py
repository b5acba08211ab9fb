from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Council API"

    def ready(self) -> None:
        # Registers the bearer-token scheme with drf-spectacular.
        from . import schema  # noqa: F401
        from .hooks import connect_change_recording

        connect_change_recording()
