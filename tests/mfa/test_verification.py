"""The code step after the password: an authenticator code or a single-use recovery code, wrong
codes throttled, then on to where the person was going; the admin and the portal alike."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from mfa.services import replace_recovery_codes
from tests.factories.mfa import authenticator, code_for, password_only_login, verified_login
from tests.factories.officers import BCUManagerFactory, UserFactory
from tests.factories.schools import DSLContactFactory
from tests.mfa.conftest import sign_in_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsl(db):
    user = UserFactory(username="dsl")
    DSLContactFactory(user=user)
    authenticator(user)
    return user


def _wrong(device) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def _verify(client, code: str, next_url: str = ""):
    return client.post(reverse("mfa:verify"), {"code": code, "next": next_url})


def test_signing_in_with_an_app_leads_to_the_code_step_then_to_the_page(client, dsl):
    response = sign_in_with_password(client, "dsl", next_url="/portal/concerns/")
    response = client.get(response.url)
    assert response.url == reverse("mfa:verify") + "?next=/portal/concerns/"
    assert client.get(response.url).status_code == 200

    response = _verify(client, code_for(authenticator(dsl)), "/portal/concerns/")

    assert response.url == "/portal/concerns/"
    assert client.get("/portal/concerns/").status_code == 200


def test_a_staff_member_signing_in_to_the_admin_enters_a_code_before_the_admin(client):
    manager = BCUManagerFactory(username="manager")
    device = authenticator(manager)

    response = sign_in_with_password(client, "manager", admin=True, next_url="/admin/schools/school/")
    response = client.get(response.url)
    assert response.url == reverse("mfa:verify") + "?next=/admin/schools/school/"
    response = _verify(client, code_for(device), "/admin/schools/school/")

    assert response.url == "/admin/schools/school/"
    assert client.get(response.url).status_code == 200


def test_without_a_next_page_staff_go_to_the_admin_and_others_to_the_portal(client, dsl):
    manager = BCUManagerFactory(username="manager")
    password_only_login(client, manager)
    assert _verify(client, code_for(authenticator(manager))).url == reverse("admin:index")

    password_only_login(client, dsl)
    assert _verify(client, code_for(authenticator(dsl))).url == reverse("safeguarding:dashboard")


def test_the_code_step_never_sends_to_another_site(client, dsl):
    password_only_login(client, dsl)

    response = _verify(client, code_for(authenticator(dsl)), "https://evil.example.org/")

    assert urlsplit(response.url).netloc == ""


def test_a_wrong_code_is_refused(client, dsl):
    password_only_login(client, dsl)

    response = _verify(client, _wrong(authenticator(dsl)))

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/portal/").status_code == 302


def test_a_code_is_accepted_once_only(client, dsl):
    device = authenticator(dsl)
    password_only_login(client, dsl)
    code = code_for(device)
    _verify(client, code)

    client.logout()
    password_only_login(client, dsl)
    response = _verify(client, code)

    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_repeated_wrong_codes_lock_the_code_step_for_a_while(client, dsl):
    device = authenticator(dsl)
    password_only_login(client, dsl)
    # Ten wrong codes in a row, each after its wait: the next try must wait 2^9 s (8.5 minutes).
    device.throttling_failure_count = 9
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(seconds=256)
    device.save()
    _verify(client, _wrong(device))

    response = _verify(client, code_for(device))

    assert "You have entered too many wrong codes. Wait 9 minutes, then try again" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 10
    # Once the wait is over, the right code works and the count starts again.
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(seconds=513)
    device.save()
    response = _verify(client, code_for(device))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_failure_count_survives_the_request_that_refused_the_code(client, dsl):
    # Requests run in one transaction; the refusal must not roll the count back.
    device = authenticator(dsl)
    password_only_login(client, dsl)

    _verify(client, _wrong(device))

    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_recovery_code_works_once_and_leads_to_the_recovery_codes_page(client, dsl):
    codes = replace_recovery_codes(user=dsl)
    password_only_login(client, dsl)

    response = _verify(client, codes[0].upper()[:4] + " " + codes[0][4:], "/portal/concerns/")

    assert urlsplit(response.url).path == reverse("mfa:recovery-codes")
    page = client.get(response.url)
    assert "You signed in with a recovery code. It will not work again: you have 9 left." in page.content.decode()
    assert page.context["next"] == "/portal/concerns/"
    assert client.session[DEVICE_ID_SESSION_KEY] == StaticDevice.objects.get(user=dsl).persistent_id
    client.logout()
    password_only_login(client, dsl)
    assert _verify(client, codes[0]).status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_wrong_recovery_codes_are_throttled_too(client, dsl, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    codes = replace_recovery_codes(user=dsl)
    password_only_login(client, dsl)
    _verify(client, "aaaaaaaa")

    response = _verify(client, codes[0])

    assert "too many wrong codes" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_new_recovery_codes_replace_the_old_ones(client, dsl):
    old = replace_recovery_codes(user=dsl)
    verified_login(client, dsl)

    response = client.post(reverse("mfa:recovery-codes"), {"next": "/portal/"})
    new = client.get(response.url).context["codes"]

    assert len(new) == 10 and not set(new) & set(old)
    client.logout()
    password_only_login(client, dsl)
    assert _verify(client, new[0]).status_code == 302
    client.logout()
    password_only_login(client, dsl)
    assert _verify(client, old[0]).status_code == 200


def test_the_recovery_codes_page_says_how_many_are_left(client, dsl):
    replace_recovery_codes(user=dsl)
    verified_login(client, dsl)

    response = client.get(reverse("mfa:recovery-codes"))

    assert "You have 10 recovery codes left" in response.content.decode()
    assert response.context["codes"] is None


def test_the_recovery_codes_page_needs_a_verified_session(client, dsl):
    password_only_login(client, dsl)

    assert urlsplit(client.post(reverse("mfa:recovery-codes")).url).path == reverse("mfa:verify")
    assert not StaticDevice.objects.filter(user=dsl).exists()


def test_signing_out_home_and_static_files_need_no_second_factor(client, dsl):
    password_only_login(client, dsl)

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("logout"))
    assert urlsplit(response.url).path == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_council_api_answers_a_bearer_token_whatever_the_session(client, dsl):
    from api.services import issue_api_token
    from tests.factories.api import ApiClientFactory

    password_only_login(client, dsl)
    secret = issue_api_token(client=ApiClientFactory())[1]

    assert client.get("/api/v1/schools/").status_code == 401
    assert client.get("/api/v1/schools/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_a_session_verified_by_a_device_since_removed_is_verified_no_more(client, dsl):
    verified_login(client, dsl)
    assert client.get("/portal/").status_code == 200

    authenticator(dsl).delete()

    response = client.get("/portal/")
    assert urlsplit(response.url).path == reverse("mfa:setup")


def test_an_idle_session_still_ends(client, dsl):
    from django.contrib.sessions.models import Session

    verified_login(client, dsl)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get("/portal/")

    assert urlsplit(response.url).path == reverse("login")


def test_sign_in_lockout_still_applies_before_the_second_factor(client, dsl, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": "dsl", "password": "wrong-password"})

    response = sign_in_with_password(client, "dsl")

    assert response.status_code == 429


def test_a_session_already_verified_skips_the_code_step(client, dsl):
    verified_login(client, dsl)

    response = client.get(reverse("mfa:verify") + "?next=/portal/concerns/")

    assert (response.status_code, response.url) == (302, "/portal/concerns/")


def test_the_code_step_sends_someone_without_an_app_to_set_one_up(client):
    password_only_login(client, UserFactory(username="no-app-yet"))

    response = client.get(reverse("mfa:verify"))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("mfa:setup")
