from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from core.reminders import Reminder
from reminders.models import SentReminder


def send_reminder(reminder: Reminder, recipient: str) -> bool:
    """Record and send one reminder to one recipient, at most once per due date.

    The row is inserted first, inside the same transaction as the send: a duplicate insert
    means it was already sent (returns False); a mail failure rolls the row back and
    re-raises so the caller can retry.
    """
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                kind=reminder.kind, object_key=reminder.object_key, due_on=reminder.due_on, recipient=recipient
            )
            send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, [recipient])
    except IntegrityError:
        return False
    return True
