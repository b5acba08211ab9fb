import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils import timezone


class DeliveryStatus(models.TextChoices):
    # Recorded and waiting for a sender: the task queued when the change committed, or the sweep.
    PENDING = "pending", "Pending"
    # Committed just before the message is handed to the mail server: a row left "sending" by a
    # sender that stopped is sent again by the sweep once it is stale, with the same Message-ID.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    # The last attempt failed; the send task retries with backoff until its retries run out.
    FAILED = "failed", "Failed"
    # Not sent, and never to be: the message was no longer wanted when its turn came
    # (an invitation withdrawn or accepted before its e-mail went; notifications.renderers).
    CANCELLED = "cancelled", "Cancelled"


def new_message_id() -> str:
    """A globally unique Message-ID header for one delivery, fixed when it is recorded, on the
    domain of the portal's From address (so mail systems can recognise a resent copy)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "ssoportal.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


class Delivery(models.Model):
    """One e-mail to one recipient: the outbox row, written in the same transaction as the change
    that causes it, and updated before and after each attempt to send it.

    At most one per kind, object key, due date and recipient: recording the same e-mail again
    finds this row, so it is never sent twice for the same due date.
    """

    kind = models.CharField(max_length=64, help_text="What the e-mail is, e.g. 'shared-concern', 'posting-review'.")
    object_key = models.CharField(max_length=128, help_text="The object it is about, by id, e.g. 'concern:12'.")
    due_on = models.DateField(help_text="The day it became due: a reminder's due date, the day a concern was shared.")
    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField(help_text="Ids and links only, never a child's details.")
    message_id = models.CharField(
        max_length=255,
        unique=True,
        default=new_message_id,
        editable=False,
        help_text="The Message-ID header, the same on every attempt: a copy sent twice is recognisably one message.",
    )
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
        indexes = [
            # The admin lists the newest first.
            models.Index(fields=["created_at"], name="notifications_delivery_created"),
            # The sweep looks for rows still pending or left sending, every minute.
            models.Index(
                fields=["status", "last_attempt_at"],
                name="notifications_delivery_unsent",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} due {self.due_on} to {self.recipient} ({self.status})"

    @property
    def is_waiting(self) -> bool:
        """Not sent yet and not given up on: the interface says it "will be e-mailed"."""
        return self.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
