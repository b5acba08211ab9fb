"""Sign-in lock-out per username and address (AXES_FAILURE_LIMIT, 5) and per address across
usernames (AXES_ADDRESS_FAILURE_LIMIT, 20), both within the cool-off (AXES_COOLOFF_HOURS)."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from access.lockout import client_address
from tests.factories.officers import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
SPRAYER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username: str, password: str = "Winter2026!", address: str = SPRAYER, page: str = "login"):
    return client.post(reverse(page), {"username": username, "password": password}, REMOTE_ADDR=address)


def spray(client, count: int, address: str = SPRAYER) -> list[int]:
    """One wrong password against ``count`` different usernames; the status of each answer."""
    return [sign_in(client, f"person-{n}", address=address).status_code for n in range(count)]


def test_the_default_limits_are_five_per_username_and_twenty_per_address(settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME) == (5, 20, 1)


def test_password_spraying_across_usernames_from_one_address_is_locked_out(client):
    statuses = spray(client, 20)

    assert statuses[:19] == [200] * 19
    assert statuses[19] == 429


def test_once_an_address_is_locked_even_a_right_password_from_it_is_refused(client):
    UserFactory(username="dana")
    spray(client, 20)

    response = sign_in(client, "dana", PASSWORD)

    assert response.status_code == 429
    assert "Account locked" in response.content.decode()


def test_another_address_still_signs_in_while_one_is_locked(client):
    UserFactory(username="dana")
    spray(client, 20)

    assert sign_in(client, "dana", PASSWORD, address=ELSEWHERE).status_code == 302


def test_failures_on_the_admin_sign_in_count_towards_the_same_address(client):
    for n in range(10):
        sign_in(client, f"portal-{n}")
    statuses = [sign_in(client, f"admin-{n}", page="admin:login").status_code for n in range(10)]

    assert statuses[-1] == 429


def test_a_successful_sign_in_does_not_clear_the_addresses_other_failures(client):
    UserFactory(username="dana")
    spray(client, 19)
    assert sign_in(client, "dana", PASSWORD).status_code == 302
    client.logout()

    assert sign_in(client, "someone-else").status_code == 429


def test_a_successful_sign_in_clears_that_usernames_own_failures(client):
    UserFactory(username="dana")
    for _ in range(4):
        sign_in(client, "dana")
    assert sign_in(client, "dana", PASSWORD).status_code == 302
    client.logout()

    assert [sign_in(client, "dana").status_code for _ in range(4)] == [200] * 4


def test_one_username_is_still_locked_after_five_failures_from_an_address(client):
    statuses = [sign_in(client, "dana").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_failures_before_the_cool_off_no_longer_count(client):
    spray(client, 19)
    # Two hours on (attempt_time is set on creation, so moved back here).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=2))

    assert sign_in(client, "someone").status_code == 200


# Behind a proxy, the address is the client's, not the proxy's.
PROXY = "10.0.0.2"


def request_from(remote_addr: str, forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post("/accounts/login/", **extra)


def test_without_a_proxy_the_address_is_the_connections_and_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from(SPRAYER, forwarded_for=ELSEWHERE)) == SPRAYER


def test_behind_one_proxy_the_address_is_the_one_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client sent the first entry itself; the proxy appended the second.
    assert client_address(request_from(PROXY, forwarded_for=f"{ELSEWHERE}, {SPRAYER}")) == SPRAYER


def test_behind_two_proxies_the_address_is_the_one_the_outer_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_address(request_from(PROXY, forwarded_for=f"{ELSEWHERE}, {SPRAYER}, 10.0.0.1")) == SPRAYER


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address"])
def test_behind_a_proxy_a_missing_or_malformed_header_falls_back_to_the_connection(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request_from(PROXY, forwarded_for=forwarded_for)) == PROXY


def test_behind_a_proxy_one_client_spraying_does_not_lock_out_another(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="dana")
    for n in range(20):
        client.post(
            reverse("login"),
            {"username": f"person-{n}", "password": "Winter2026!"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=SPRAYER,
        )

    response = client.post(
        reverse("login"), {"username": "dana", "password": PASSWORD}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE
    )

    assert response.status_code == 302
