"""Services failing under a running portal: the broker stopped or frozen while a DSL shares a
concern, and a worker's database connection dropped. Nothing saved is lost, no page fails."""

import contextlib
import datetime
import html
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.urls import reverse
from kombu import pools

from notifications.models import Delivery, DeliveryStatus
from notifications.services import record_deliveries
from notifications.tasks import send_delivery
from safeguarding.models import Concern
from ssoportal.celery import app
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

from .conftest import sent_messages, sweep_until, wait_until, worker_database_url

pytestmark = [pytest.mark.integration]

# Far below the 30 s a frozen broker held a request for before its publish had a timeout.
WEB_REQUEST_LIMIT_SECONDS = 15


class PrivateRedis:
    """A Redis server of this test's own, so it can be stopped and frozen without touching the
    Redis other tests and processes share."""

    def __init__(self, tmp_path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, timeout=20, what="the private Redis to start")

    def _answers(self) -> bool:
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
        return result.stdout.strip() == "PONG"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a frozen one must wake to die
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)


def _reset_broker_connections() -> None:
    """Drop the Celery app's pooled broker connections, so the next publish connects afresh."""
    pools.reset()  # kombu's pools by connection, closed and forgotten
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def private_redis(integration_queue, tmp_path, monkeypatch) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server program, to start a Redis of its own")
    redis = PrivateRedis(tmp_path)
    redis.start()
    monkeypatch.setitem(app.conf, "broker_url", redis.url)
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)  # Celery reads it before its configuration
    _reset_broker_connections()
    yield redis
    redis.stop()
    monkeypatch.undo()
    _reset_broker_connections()


@pytest.fixture
def share_set_up(transactional_db):
    school = SchoolFactory()
    dsl = UserFactory(username="dsl")
    DSLContactFactory(school=school, user=dsl)
    officer = UserFactory(username="sso", email="sso@police.invalid")
    PostingFactory(officer=OfficerFactory(user=officer), school=school, start_date=datetime.date(2020, 1, 1))
    concern = ConcernFactory(school=school, logged_by=dsl)
    return dsl, concern


def _share(client, dsl, concern):
    client.force_login(dsl)
    started = time.monotonic()
    response = client.post(reverse("safeguarding:concern-share", args=[concern.pk]))
    return response, time.monotonic() - started


def _page(client, concern) -> str:
    return html.unescape(client.get(reverse("safeguarding:concern-detail", args=[concern.pk])).content.decode())


def test_broker_down_during_a_share_keeps_it_and_the_notice_goes_once_the_broker_is_back(
    client, share_set_up, private_redis, start_worker, mail_dir
):
    dsl, concern = share_set_up
    private_redis.stop()

    response, seconds = _share(client, dsl, concern)

    assert response.status_code == 302  # not 500
    assert seconds < WEB_REQUEST_LIMIT_SECONDS
    assert Concern.objects.get(pk=concern.pk).shared_with_police
    notice = Delivery.objects.get(kind="shared-concern")
    assert notice.status == DeliveryStatus.PENDING
    assert "Will be e-mailed" in _page(client, concern)

    private_redis.start()
    _reset_broker_connections()
    start_worker(extra_env={"CELERY_BROKER_URL": private_redis.url})
    sweep_until(lambda: len(sent_messages(mail_dir)) >= 1, timeout=60, what="the sweep to send the notice")
    wait_until(
        lambda: Delivery.objects.get(pk=notice.pk).status == DeliveryStatus.SENT, timeout=30, what="sent recorded"
    )
    (message,) = sent_messages(mail_dir)
    assert "sso@police.invalid" in message and f"concern {concern.pk}" in message
    assert "Sent at " in _page(client, concern)


def test_a_frozen_broker_cannot_hold_the_share_request(client, share_set_up, private_redis):
    dsl, concern = share_set_up
    private_redis.freeze()

    response, seconds = _share(client, dsl, concern)

    assert response.status_code == 302
    assert seconds < WEB_REQUEST_LIMIT_SECONDS
    assert Delivery.objects.get(kind="shared-concern").status == DeliveryStatus.PENDING


def _reminder(address: str) -> Delivery:
    (delivery,) = record_deliveries(
        kind="dsl-reconfirm",
        object_key=f"dslcontact:{address}",
        due_on=datetime.date(2026, 9, 1),
        recipients=[address],
        subject="Please confirm your details",
        body="Confirm them here: https://portal.example/portal/contact-details/",
    )
    return delivery


def _sent(delivery: Delivery) -> bool:
    return Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


class DatabaseProxy:
    """A TCP relay between a worker and PostgreSQL that the test can cut, as a database restart,
    a failover or a proxy's idle timeout would: every open connection is dropped, and while it is
    down each new one is closed as soon as it is made."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
            self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up = False
        for end in self.sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        self.sockets.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def database_proxy(transactional_db) -> Iterator[DatabaseProxy]:
    proxy = DatabaseProxy(int(connection.settings_dict["PORT"] or 5432))
    yield proxy
    proxy.close()


def test_a_send_task_that_cannot_reach_the_database_is_retried_and_delivers(
    start_worker, mail_dir, tmp_path, database_proxy
):
    delivery = _reminder("dsl@school.invalid")
    worker_url = worker_database_url().replace(
        f":{connection.settings_dict['PORT'] or 5432}/", f":{database_proxy.port}/"
    )
    start_worker(pool="solo", extra_env={"DATABASE_URL": worker_url})
    database_proxy.cut()

    send_delivery.delay(delivery.pk)
    log = tmp_path / "worker-0.log"
    wait_until(lambda: "Retry in" in log.read_text(), timeout=60, what="the task to fail and be retried")
    assert sent_messages(mail_dir) == []

    database_proxy.restore()
    wait_until(lambda: _sent(delivery), timeout=60, what="the retried task to send")
    assert len(sent_messages(mail_dir)) == 1
    assert "OperationalError" in log.read_text()


def test_a_connection_dropped_mid_send_is_replaced_and_the_send_recorded_once(
    start_worker, mail_dir, tmp_path, database_proxy
):
    delivery = _reminder("dsl@school.invalid")
    worker_url = worker_database_url().replace(
        f":{connection.settings_dict['PORT'] or 5432}/", f":{database_proxy.port}/"
    )
    start_worker(
        pool="solo",
        email_backend="tests.integration.slow_mail.StallFirstSendBackend",
        extra_env={"DATABASE_URL": worker_url, "SLOW_MAIL_SECONDS": "3"},
    )
    send_delivery.delay(delivery.pk)
    wait_until((tmp_path / "send-started").exists, timeout=60, what="the send to start")
    database_proxy.cut()  # while the message is with the mail server
    database_proxy.restore()  # new connections work again; the worker's old one is gone

    wait_until(lambda: _sent(delivery), timeout=60, what="sent to be recorded on a new connection")
    assert len(sent_messages(mail_dir)) == 1
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1
    assert "could not be written (attempt 1); reconnecting" in (tmp_path / "worker-0.log").read_text()
