import pytest


@pytest.fixture(autouse=True)
def _fast_passwords_and_memory_email(settings):
    # Hashing with the production hasher makes every login-based test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


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
