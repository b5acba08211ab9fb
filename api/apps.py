from django.apps import AppConfig

from ssoportal import lookups


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Council API"

    def ready(self) -> None:
        # Registers the bearer-token scheme with drf-spectacular.
        from . import schema  # noqa: F401

        # field__any_of, which the selectors filter on (ssoportal/lookups.py).
        lookups.register()
