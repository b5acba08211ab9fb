"""The Celery beat schedule, declared in one place.

Each entry has a comment saying why it runs when it does. Issues that add periodic work
add their entry here and nowhere else.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Every minute: e-mails whose send task was never queued (the broker was down when they were
    # recorded) or whose sender stopped are sent within a minute or two of the broker returning.
    "sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": 60.0,
    },
    # Reminders go out early in the London morning so they are in inboxes before the school day.
    "dispatch-due-reminders": {
        "task": "reminders.tasks.dispatch_due_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # Priorities are recomputed nightly, after the evening's imports and before managers plan the day;
    # partner advice and postings entered during the day count from the next morning.
    "recompute-priorities": {
        "task": "priorities.tasks.recompute_priorities",
        "schedule": crontab(hour=2, minute=30),
    },
    # Just after midnight (London), when a posting has started or ended and training has expired
    # with no write: council systems following the change feed read the day's changes first thing.
    "record-dated-changes": {
        "task": "api.tasks.record_dated_changes",
        "schedule": crontab(hour=0, minute=5),
    },
    # Records due for erasure are listed after midnight, so the London date is the day listed for,
    # and before the morning, so the data protection officer reviews a fresh list. It deletes
    # nothing: a record is erased only when the data protection officer confirms it.
    "list-due-erasures": {
        "task": "retention.tasks.list_due_erasures",
        "schedule": crontab(hour=1, minute=30),
    },
    # Attachment files left by rolled-back uploads or deleted rows are removed at night, when no
    # upload is likely to be in flight (and the service keeps any file younger than an hour anyway).
    "purge-orphaned-attachments": {
        "task": "safeguarding.tasks.purge_orphaned_attachments",
        "schedule": crontab(hour=3, minute=15),
    },
}
