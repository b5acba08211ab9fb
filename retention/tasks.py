import datetime

from celery import shared_task

from retention import services


@shared_task
def list_due_erasures(on: str | None = None) -> int:
    """Nightly: list the records whose retention period has passed for the data protection
    officer's review (``services.list_due_erasures``); deletes nothing. Returns how many were added."""
    day = datetime.date.fromisoformat(on) if on else None
    return sum(services.list_due_erasures(on=day).added.values())
