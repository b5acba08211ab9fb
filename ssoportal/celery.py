"""Celery application for SSO Portal.

Configuration comes from Django settings under the ``CELERY_`` namespace, so the broker,
eager mode and the beat schedule are all decided in ``ssoportal/settings.py``. Workers and beat
log through Django's ``LOGGING`` (``configure_logging`` below), as the web processes do.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")

app = Celery("ssoportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def configure_logging(**kwargs) -> None:
    """Celery's worker and beat apply ``settings.LOGGING`` instead of their own set-up (a receiver
    of this signal replaces it), so their log level is ``DJANGO_LOG_LEVEL``, not ``-l``."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
