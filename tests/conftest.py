import pytest


@pytest.fixture(autouse=True)
def _fast_passwords_and_memory_email(settings):
    # Hashing with the production hasher makes every login-based test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def bcu_manager(db):
    from tests.factories.officers import BCUManagerFactory

    return BCUManagerFactory(username="manager")


@pytest.fixture
def manager_client(client, bcu_manager):
    client.force_login(bcu_manager)
    return client
