from django.db import models
from django.utils import timezone


class DispatchRun(models.Model):
    """A day whose reminders were all dispatched: every kind listed its reminders due that day and
    each was recorded in the outbox. The daily dispatch catches up from the day after the latest."""

    day = models.DateField(unique=True, help_text="The (London) day whose due reminders were dispatched.")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Reminders of {self.day} dispatched"
