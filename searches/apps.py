from django.apps import AppConfig


class SearchesConfig(AppConfig):
    name = "searches"
    verbose_name = "Searches of children"

    def ready(self) -> None:
        # Registers the "search-referral-outstanding" reminder kind.
        from . import reminders  # noqa: F401
