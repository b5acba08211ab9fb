from celery import shared_task
from django.utils import timezone

from .changes import record_dated_changes as record_dated_changes_until


@shared_task
def record_dated_changes() -> int:
    """Daily, just after midnight: record in the change feed what the date alone changed since the
    last run, up to today (London); returns how many changes were recorded. Days missed while beat
    or the workers were down are caught up by the next run, each change once (ADR 0021)."""
    return record_dated_changes_until(today=timezone.localdate())
