from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Dispatches the reminder kinds every app declares in its own ``reminders.py``."""

    name = "reminders"
    verbose_name = "Reminders"
