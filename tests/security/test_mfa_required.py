"""A session signed in with a password alone gets no page of personal data, portal or admin.

Every URL of the access matrix (``EXPECTED``), with a password-only session of each role: every
page but the public ones, signing in and out, the MFA steps and the bearer-token API sends it to
the code step, or to enrolment while the person has no authenticator app; no page shows any
sensitive marker. The redirect comes before the view, so what the role could read once verified
does not matter.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from tests.factories.mfa import authenticator, password_only_login
from tests.factories.officers import UserFactory
from tests.security.test_url_access_matrix import EXPECTED, World, assert_no_marker_leaks, response_text

# A walk over every URL, untraced by coverage as the access matrix is (see there).
pytestmark = [pytest.mark.django_db, pytest.mark.no_cover]

ROLES = ["plain_user", "plain_staff", "bcu_manager", "council_reader", "sso", "dsl", "superuser"]


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return World()


def _user(world, role: str):
    if role == "superuser":
        return UserFactory(username="superuser", is_staff=True, is_superuser=True)
    return world.user(role)


def _exempt(url: str) -> bool:
    path = urlsplit(url).path
    return resolve(path).view_name in settings.MFA_EXEMPT_URL_NAMES or path.startswith(
        tuple(settings.MFA_EXEMPT_PATH_PREFIXES)
    )


def test_only_public_pages_signing_in_and_out_the_mfa_steps_and_the_api_need_no_second_factor(world):
    exempt = {key for key, row in EXPECTED.items() if _exempt(row.url(world))}
    api = {key for key in EXPECTED if key.startswith(("v1:", "api-"))}
    assert exempt == {"home", "login", "logout", "admin:login", "admin:logout", "mfa:setup", "mfa:verify"} | api


@pytest.mark.parametrize("has_app", [True, False], ids=["with an app", "without an app"])
@pytest.mark.parametrize("role", ROLES)
def test_a_password_only_session_reaches_no_page_before_the_second_factor(client, world, role, has_app):
    user = _user(world, role)
    if has_app:
        authenticator(user)
    step = reverse("mfa:verify" if has_app else "mfa:setup")
    password_only_login(client, user)

    wrong = {}
    for key, row in EXPECTED.items():
        url = row.url(world)
        response = client.get(url)
        assert_no_marker_leaks(response, "anonymous")
        if _exempt(url):
            assert response.status_code < 500, key
            continue
        location = urlsplit(response.get("Location", ""))
        if response.status_code != 302 or location.path != step or f"next={urlsplit(url).path}" not in location.query:
            wrong[key] = (response.status_code, response.get("Location", ""))
    assert not wrong, f"answered without the second factor: {wrong}"


def test_a_password_only_session_of_a_dsl_gets_no_concern_by_post(client, world):
    concern = world.concern
    password_only_login(client, world.dsl)

    response = client.post(reverse("safeguarding:concern-share", kwargs={"concern_id": concern.pk}))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("mfa:setup")
    assert "Marker" not in response_text(response)
