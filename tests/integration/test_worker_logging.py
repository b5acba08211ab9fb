"""A real worker logs through Django's LOGGING (ssoportal/celery.py), not Celery's own format."""

import re

import pytest

pytestmark = [pytest.mark.integration]

# settings.LOGGING's "plain" format: time, level, logger name, message.
DJANGO_FORMAT_READY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO celery\.apps\.worker \S+ ready\.$", re.M)


def test_the_worker_logs_in_djangos_format(start_worker, tmp_path):
    start_worker()
    assert DJANGO_FORMAT_READY.search((tmp_path / "worker-0.log").read_text())
