import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories.officers import UserFactory

pytestmark = pytest.mark.django_db


def _attempt(client, password: str):
    return client.post(reverse("login"), {"username": "locky", "password": password}, REMOTE_ADDR="10.0.0.1")


def test_an_account_is_locked_after_the_failure_limit(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="locky")
    for _ in range(2):
        assert _attempt(client, "wrong-password").status_code == 200
    locked = _attempt(client, "wrong-password")
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()
    # Even the right password is refused until the cool-off ends.
    assert _attempt(client, "correct-horse-battery").status_code == 429


def test_one_failure_below_the_limit_still_lets_the_user_in(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="locky")
    for _ in range(2):
        _attempt(client, "wrong-password")
    response = _attempt(client, "correct-horse-battery")
    assert response.status_code == 302


def test_a_failed_sign_in_shows_an_error_summary(client):
    response = _attempt(client, "wrong-password")
    assert "There is a problem" in response.content.decode()


def test_sessions_expire_after_the_idle_timeout_and_are_renewed_on_each_request():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True


def test_an_idle_session_no_longer_reaches_the_portal(client, dsl_a, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(dsl_a)
    assert client.get(reverse("safeguarding:dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("safeguarding:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
