"""Celery application for SSO Portal.

Configuration comes from Django settings under the ``CELERY_`` namespace, so the broker,
eager mode and the beat schedule are all decided in ``ssoportal/settings.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")

app = Celery("ssoportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
