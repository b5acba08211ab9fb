from django.apps import AppConfig


class StatementsConfig(AppConfig):
    """Each school's Child Safeguarding Statement: drafted by its DSL, signed off by its head
    teacher, reviewed every year, every signed version kept, published on a public page if the
    school chooses."""

    name = "statements"
    verbose_name = "Child Safeguarding Statements"

    def ready(self) -> None:
        # Registers the "statement-review" reminder kind.
        from . import reminders  # noqa: F401
