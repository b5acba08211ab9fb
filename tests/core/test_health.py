"""/health/: database, cache, Celery broker and attachment storage, answered as "ok" or
"unavailable" and nothing more, to anyone."""

from __future__ import annotations

import dataclasses
import io
import logging
import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from core.health import CeleryBroker

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "Concern 12 at /srv/private-media/concern-attachments/ab12.pdf, PostgreSQL 16.4, 3 rows"


@dataclasses.dataclass
class Failing(HealthCheck):
    def run(self) -> None:
        raise ServiceUnavailable(SECRET_DETAIL)


@dataclasses.dataclass
class Crashing(HealthCheck):
    def run(self) -> None:
        raise RuntimeError(SECRET_DETAIL)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return settings.PRIVATE_MEDIA_ROOT


def with_check(settings, check: type[HealthCheck]) -> None:
    settings.HEALTH_CHECKS = [*settings.HEALTH_CHECKS, f"{__name__}.{check.__name__}"]


def test_health_is_ok_for_anyone_when_every_check_passes(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok\n"


def test_health_checks_the_database_cache_broker_and_attachment_storage_and_its_free_space(settings):
    assert settings.HEALTH_CHECKS == [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "core.health.CeleryBroker",
        "safeguarding.health.AttachmentStorage",
        "safeguarding.health.AttachmentDiskSpace",
    ]


def test_health_answers_a_head_request(client):
    assert client.head(reverse("health")).status_code == 200


def test_a_failing_check_gives_503_and_no_detail(client, settings):
    with_check(settings, Failing)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_an_unexpected_error_in_a_check_gives_503_and_not_its_text(client, settings):
    with_check(settings, Crashing)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.content == b"unavailable\n"


@pytest.mark.parametrize("accept", ["application/json", "text/html", "application/openmetrics-text"])
def test_no_format_asked_for_reveals_more(client, settings, accept):
    with_check(settings, Failing)

    response = client.get(reverse("health"), {"format": "json"}, HTTP_ACCEPT=accept)

    assert response.content == b"unavailable\n"


def test_a_failing_check_is_logged_for_operators(client, settings, caplog):
    with_check(settings, Failing)

    with caplog.at_level(logging.WARNING, logger="health_check"):
        client.get(reverse("health"))

    assert SECRET_DETAIL in caplog.text


def test_operators_see_each_check_with_the_command(settings):
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_status:
        call_command("health_check", "health", "--no-http", stdout=out)

    assert exit_status.value.code == 0
    assert "AttachmentStorage(): OK" in out.getvalue()


def test_health_is_answered_over_plain_http_while_everything_else_redirects(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("home")).status_code == 301
    assert client.get(reverse("health")).status_code == 200


def test_the_broker_check_passes_with_eager_celery_and_no_broker(settings):
    settings.CELERY_BROKER_URL = "memory://"

    CeleryBroker().run()


def test_a_broker_that_does_not_answer_makes_health_unavailable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.content == b"unavailable\n"


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="no Redis broker configured"
)
def test_the_configured_redis_broker_passes(settings):
    CeleryBroker().run()


def test_the_attachment_storage_check_leaves_no_file_behind(client, _private_media):
    client.get(reverse("health"))

    assert [path for path in _private_media.rglob("*") if path.is_file()] == []


def test_attachment_storage_that_cannot_be_written_makes_health_unavailable(client, settings, tmp_path):
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("")
    settings.PRIVATE_MEDIA_ROOT = not_a_folder

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_health_is_unavailable_when_the_attachment_disk_is_nearly_full(client, settings, monkeypatch, caplog):
    import shutil

    settings.HEALTH_MIN_FREE_MB = 200
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**12, 10**12, 150 * 1024**2))
    caplog.set_level(logging.WARNING)
    response = client.get(reverse("health"))
    assert (response.status_code, response.content) == (503, b"unavailable\n")
    assert "150 MB free, under 200 MB" in caplog.text


def test_the_free_space_is_measured_on_the_attachments_file_system(client, settings, monkeypatch, _private_media):
    import shutil

    measured = []
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: measured.append(path) or real(path))
    assert client.get(reverse("health")).status_code == 200
    # The folder itself, or (before the first upload made it) its nearest existing parent.
    assert measured in ([_private_media], [_private_media.parent])
