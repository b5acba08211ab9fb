import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest

T = TypeVar("T")

# Hashing with the production hasher makes every login-based test seconds slower.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEMORY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The fixture of the demo data set, loaded once per test process (see ``demo`` below).
DEMO_FIXTURE = "demo"


@pytest.fixture(autouse=True, scope="session")
def _files_in_temporary_folders(tmp_path_factory):
    # Files a test writes without choosing a folder go to this process's temporary folder (each
    # pytest-xdist worker has its own), never into the checkout nor among another worker's files.
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("files")
    with override_settings(
        MEDIA_ROOT=folder / "media",
        PRIVATE_MEDIA_ROOT=folder / "private-media",
        EMAIL_FILE_PATH=str(folder / "sent-mail"),
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords_and_memory_email():
    # Once for the whole run: a settings override per test sends Django's setting_changed signal
    # to every receiver twice, which cost about 3 % of the time of a request-per-test module. A
    # test that changes either setting (the ``settings`` fixture) has it restored after it.
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS, EMAIL_BACKEND=MEMORY_EMAIL_BACKEND):
        yield


@pytest.fixture(autouse=True)
def _eager_celery(request, monkeypatch):
    # Unit tests run tasks in-process even when a Redis broker is configured; the integration
    # tests (marked) send them to a real worker.
    if request.node.get_closest_marker("integration") is None:
        from ssoportal.celery import app

        monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _force_login_passes_mfa(monkeypatch):
    # Every page but the MFA steps needs a session verified by a second factor. Tests sign in with
    # force_login as if they had entered a code; tests of MFA itself use password_only_login
    # (tests/factories/mfa.py).
    from django.test import Client

    from tests.factories.mfa import verified_login

    def force_login(self, user, backend=None):
        verified_login(self, user, backend)

    monkeypatch.setattr(Client, "force_login", force_login)


class SharedTestData:
    """Data built once for several tests, as Django's ``TestCase.setUpTestData`` does.

    ``build()`` runs in a transaction that stays open while those tests run and is rolled back by
    ``close()`` (or at the end of a ``with`` block): each test's own transaction (the ``db``
    fixture) is a savepoint inside it, so what a test writes is undone and the next test sees the
    shared data again. Use it in a module- or session-scoped fixture. While it is open only the
    tests that use that fixture may run, and never ``transactional_db`` tests (browser,
    integration). The data is built with the settings the autouse fixtures above give each test.
    """

    def __init__(self, django_db_blocker, build: Callable[[], T]):
        from django.db import transaction
        from django.test import override_settings

        from ssoportal.celery import app

        self._blocker = django_db_blocker
        with django_db_blocker.unblock():
            self._outer = transaction.atomic()
            self._outer.__enter__()
            eager = app.conf.task_always_eager
            app.conf.task_always_eager = True
            try:
                with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS, EMAIL_BACKEND=MEMORY_EMAIL_BACKEND):
                    self.data = build()
            except BaseException:
                self.close()
                raise
            finally:
                app.conf.task_always_eager = eager

    @property
    def closed(self) -> bool:
        return self._outer is None

    def close(self) -> None:
        from django.db import transaction

        if self._outer is None:
            return
        outer, self._outer = self._outer, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    def __enter__(self):
        return self.data

    def __exit__(self, *exc_info) -> None:
        self.close()


@dataclass(frozen=True)
class Demo:
    """The demo data set, as ``manage.py load_demo`` loads it."""

    output: str  # what the command printed


def _load_demo() -> Demo:
    from django.core.management import call_command
    from django.test import override_settings

    output = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=output)
    return Demo(output=output.getvalue())


class _LoadedDemo:
    shared: SharedTestData | None = None


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker) -> Iterator[Demo]:
    """The demo data set, loaded once per test process (each pytest-xdist worker) for all the
    tests that use it, instead of once per test (about 2 s each time).

    Those tests run one after the other (``pytest_collection_modifyitems`` below) and the data is
    rolled back after the last of them (``pytest_runtest_teardown``); what each test writes, a
    second ``load_demo`` included, is rolled back after that test as usual.
    """
    _LoadedDemo.shared = SharedTestData(django_db_blocker, _load_demo)
    with _LoadedDemo.shared as data:
        yield data


def _uses_demo(item) -> bool:
    return DEMO_FIXTURE in getattr(item, "fixturenames", ())


# Under pytest-xdist (``--dist loadgroup``, see the Makefile), one worker runs all the tests of
# each of these marks: one Chromium and live server for the browser tests, and the Celery workers
# of the integration tests, which share one Redis database, never run side by side.
ONE_WORKER_MARKS = ("browser", "integration")


def pytest_sessionstart(session):
    # The admin's models are registered when the URLconf loads (core.admin_apps), as on a running
    # site before its first request; tests that read the admin's registry directly see it full.
    from django.contrib import admin

    admin.autodiscover()


def pytest_itemcollected(item):
    group = next((mark for mark in ONE_WORKER_MARKS if item.get_closest_marker(mark) is not None), None)
    # The tests that use the demo fixture on one worker too, so that the demo is loaded once per
    # run rather than once per worker (it costs more than the migrations). A browser test with a
    # demo of its own stays with the browser tests: an item's groups would make one new group.
    if group is None and _uses_demo(item):
        group = DEMO_FIXTURE
    if group is not None:
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    # ``--dist loadgroup`` sends the tests whose node ids end in the same ``@group`` to one worker.
    # pytest-xdist 3.8 adds that ending by setting a node attribute that pytest 9 no longer reads,
    # so the groups above were silently ignored (two Chromiums, the integration tests' Celery
    # workers side by side, the demo loaded on each worker). Before the worker sends its ids.
    if not getattr(session.config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in session.items:
        groups = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group") if mark.args})
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # The demo tests after the others; pytest-django then sorts the tests (stably) into database
    # tests, transactional ones, the rest, so they end up last of the database tests, together.
    # Every pytest-xdist worker collects this order and runs the tests it is given in this order.
    items.sort(key=_uses_demo)


def pytest_runtest_setup(item):
    shared = _LoadedDemo.shared
    if shared is not None and shared.closed and _uses_demo(item):
        raise RuntimeError(
            f"{item.nodeid}: the demo data was already rolled back; the tests that use the demo "
            "fixture must run one after the other (see tests/conftest.py)"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        # After the last demo test in a row, before any other test can see the data.
        if _LoadedDemo.shared is not None and (nextitem is None or not _uses_demo(nextitem)):
            _LoadedDemo.shared.close()


@pytest.fixture
def bcu_manager(db):
    from tests.factories.officers import BCUManagerFactory

    return BCUManagerFactory(username="manager")


@pytest.fixture
def manager_client(client, bcu_manager):
    client.force_login(bcu_manager)
    return client


@pytest.fixture
def client_as(client, db):
    """Log the test client in as a user of the named role (``tests.factories.roles.ROLE_USERS``)."""
    from tests.factories.roles import ROLE_USERS

    def log_in(role: str):
        user = ROLE_USERS[role]()
        if user is not None:
            client.force_login(user)
        return client

    return log_in


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # pytest-django creates the test databases after this fixture: the SQLite one is then copied
    # from the migrated snapshot kept between runs, when there is one (tests/database_snapshot.py).
    from tests.database_snapshot import keep_migrated_database

    with pytest.MonkeyPatch.context() as monkeypatch:
        keep_migrated_database(monkeypatch)
        yield
