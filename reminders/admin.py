"""django-celery-beat's own admin pages are removed: the schedule is declared in code
(``ssoportal/schedule.py``) and the database only keeps when each job last ran (ADR 9), so nobody
adds, changes or disables a job from the admin."""

from django.contrib import admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

for model in (PeriodicTask, IntervalSchedule, CrontabSchedule, SolarSchedule, ClockedSchedule):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
