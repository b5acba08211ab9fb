"""Beat keeps when each job last ran in the database (django-celery-beat), so a beat restarted
after being down runs a missed daily job at once, instead of waiting for the next day."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def _start_beat_scheduler():
    from django_celery_beat.schedulers import DatabaseScheduler

    from ssoportal.celery import app

    return DatabaseScheduler(app=app)  # what `celery beat` makes at start, with the settings' scheduler


def test_beat_uses_the_database_scheduler(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_starting_beat_stores_every_job_of_the_schedule_in_the_database():
    from django_celery_beat.models import PeriodicTask

    from ssoportal.schedule import BEAT_SCHEDULE

    _start_beat_scheduler()
    stored = dict(PeriodicTask.objects.values_list("name", "task"))
    assert {name: stored[name] for name in BEAT_SCHEDULE} == {n: e["task"] for n, e in BEAT_SCHEDULE.items()}


def test_a_beat_restarted_after_a_missed_6am_run_runs_the_dispatch_at_once():
    from django_celery_beat.models import PeriodicTask

    _start_beat_scheduler()
    two_days_ago = timezone.localtime() - datetime.timedelta(days=2)
    last_run = two_days_ago.replace(hour=6, minute=0, second=0, microsecond=0)
    PeriodicTask.objects.filter(name="dispatch-due-reminders").update(last_run_at=last_run)

    restarted = _start_beat_scheduler()
    due, _ = restarted.schedule["dispatch-due-reminders"].is_due()
    assert due


def test_a_dispatch_that_ran_this_morning_is_not_due_again_after_a_restart():
    from django_celery_beat.models import PeriodicTask

    _start_beat_scheduler()
    PeriodicTask.objects.filter(name="dispatch-due-reminders").update(last_run_at=timezone.now())

    restarted = _start_beat_scheduler()
    due, _ = restarted.schedule["dispatch-due-reminders"].is_due()
    assert not due
