from django.db import models
from django.utils import timezone


class DeliveryStatus(models.TextChoices):
    # Recorded, or being sent now, or left by a worker that stopped mid-send (its task is redelivered).
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    # The last attempt failed; the send task retries with backoff until its retries run out.
    FAILED = "failed", "Failed"
    # Not sent, and never to be: the message was no longer wanted when its turn came
    # (an invitation withdrawn or accepted before its e-mail went; notifications.renderers).
    CANCELLED = "cancelled", "Cancelled"


class Delivery(models.Model):
    """One e-mail to one recipient, recorded before it is sent and again after each attempt.

    At most one per kind, object key, due date and recipient: recording the same e-mail again
    finds this row, so it is never sent twice for the same due date.
    """

    kind = models.CharField(max_length=64, help_text="What the e-mail is, e.g. 'shared-concern', 'posting-review'.")
    object_key = models.CharField(max_length=128, help_text="The object it is about, by id, e.g. 'concern:12'.")
    due_on = models.DateField(help_text="The day it became due: a reminder's due date, the day a concern was shared.")
    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField(help_text="Ids and links only, never a child's details.")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text="Send attempts started, counted before each one.")
    last_error = models.CharField(max_length=500, blank=True, help_text="Why the last failed attempt failed.")
    # A default rather than auto_now_add, so that rows copied from older records keep their time.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "due_on", "recipient"], name="notifications_delivery_once_per_due_date"
            )
        ]
        # The admin lists the newest first.
        indexes = [models.Index(fields=["created_at"], name="notifications_delivery_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} due {self.due_on} to {self.recipient} ({self.status})"
