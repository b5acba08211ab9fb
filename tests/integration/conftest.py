"""Real Celery workers for the integration tests: a subprocess per worker, against the test
database (so data must be committed: these tests use ``transactional_db``) and the Redis
broker named by ``CELERY_BROKER_URL``, on a queue of their own. Workers are always killed and
the queue purged at the end, whatever happened."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ssoportal.celery import app

REPO = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT_SECONDS = 2
# The workers' outbox timings, short for the tests: a "sending" row is stale after this long.
SENDING_STALE_SECONDS = 4


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


def worker_database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def sent_messages(mail_dir: Path) -> list[str]:
    """Every message the file-based backend wrote (it may put several in one file)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        messages += [part for part in path.read_text().split("-" * 79) if "Subject:" in part]
    return messages


@pytest.fixture
def integration_queue(monkeypatch) -> Iterator[str]:
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs a Redis broker (CELERY_BROKER_URL=redis://...)")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL, shared by the test and the worker")
    queue = f"integration-{uuid.uuid4().hex[:12]}"
    # Tasks enqueued by this process go to this test's queue, for real (not eagerly).
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    yield queue
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_purge(queue)
        # The queue's exchange bindings are the only other keys it leaves in Redis.
        channel.client.delete(channel.keyprefix_queue % queue, channel.keyprefix_binding_permanent % queue)


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def start_worker(transactional_db, integration_queue, mail_dir, tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    workers: list[subprocess.Popen] = []

    def start(
        *,
        pool: str = "prefork",
        email_backend: str = "django.core.mail.backends.filebased.EmailBackend",
        extra_env: dict[str, str] | None = None,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": integration_queue,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_SECONDS),
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            "DJANGO_EMAIL_BACKEND": email_backend,
            "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
            "SLOW_MAIL_MARKER": str(tmp_path / "send-started"),
            "NOTIFICATIONS_PENDING_GRACE_SECONDS": "1",
            "NOTIFICATIONS_SENDING_STALE_SECONDS": str(SENDING_STALE_SECONDS),
            "PYTHONPATH": str(REPO),
            **(extra_env or {}),
        }
        log = open(tmp_path / f"worker-{len(workers)}.log", "w")  # noqa: SIM115 (closed with the process)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ssoportal", "worker", "-Q", integration_queue,
             "--pool", pool, "--concurrency", "2", "-l", "info", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{integration_queue}-{len(workers)}@%h",
             # The kill points (tests.integration.kill_points), idle unless KILL_POINT is set.
             "--include", "tests.integration.kill_points"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        workers.append(worker)
        wait_until(lambda: "ready." in (tmp_path / f"worker-{len(workers) - 1}.log").read_text(),
                   timeout=60, what="the Celery worker to start")  # fmt: skip
        return worker

    yield start
    for worker in workers:
        kill_worker(worker)
    # Worker logs help whoever reads a failure.
    for path in sorted(tmp_path.glob("worker-*.log")):
        print(f"== {path.name}\n{path.read_text()[-4000:]}")


def sweep_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Queue the outbox sweep every second, as beat does every minute, until ``condition`` holds."""
    from notifications.tasks import sweep_outbox

    def swept() -> bool:
        if condition():
            return True
        sweep_outbox.delay()
        time.sleep(0.8)
        return condition()

    wait_until(swept, timeout=timeout, what=what)


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes (its own process group)."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
