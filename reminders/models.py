from django.db import models


class SentReminder(models.Model):
    """One reminder e-mail that was sent; the unique constraint makes sending idempotent."""

    kind = models.CharField(max_length=64)
    object_key = models.CharField(max_length=128, help_text="Identifies the reminded object, e.g. 'posting:12'.")
    due_on = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "due_on", "recipient"], name="reminders_sent_once_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} due {self.due_on} to {self.recipient}"
