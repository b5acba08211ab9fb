"""The Celery beat schedule, declared in one place.

Each entry has a comment saying why it runs when it does. Issues that add periodic work
add their entry here and nowhere else.
"""

BEAT_SCHEDULE: dict[str, dict] = {}
