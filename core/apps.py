from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: no models, and no import of any other app of the project."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Registers the ``__any_of`` lookup on integer fields and foreign keys.
        from . import lookups  # noqa: F401
