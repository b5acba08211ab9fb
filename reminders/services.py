from core.reminders import Reminder
from notifications.models import Delivery
from notifications.services import deliver


def send_reminder(reminder: Reminder) -> list[Delivery]:
    """Record the reminder's e-mail to each recipient and send each one, at most once per due date.

    Through the one delivery path (``notifications.services.deliver``): a reminder already sent
    for the same kind, object, due date and recipient is skipped; one whose sending failed is
    sent again. The sends are enqueued once the current transaction commits.
    """
    return deliver(
        kind=reminder.kind,
        object_key=reminder.object_key,
        due_on=reminder.due_on,
        recipients=reminder.recipients,
        subject=reminder.subject,
        body=reminder.body,
    )
