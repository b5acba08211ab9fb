"""Setting up an authenticator app at first sign-in: QR code and key, a code to confirm, then ten
recovery codes shown once."""

import re
from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.mfa import authenticator, code_for, password_only_login
from tests.mfa.conftest import sign_in_with_password

pytestmark = pytest.mark.django_db


def _set_up(client, code: str, next_url: str = "/portal/"):
    return client.post(reverse("mfa:setup"), {"code": code, "next": next_url})


def test_signing_in_without_an_app_leads_to_setting_one_up(client, person):
    response = sign_in_with_password(client, "person", next_url="/portal/concerns/")
    assert response.url == "/portal/concerns/"

    response = client.get(response.url)

    assert response.status_code == 302
    assert response.url == reverse("mfa:setup") + "?next=/portal/concerns/"


def test_the_setup_page_shows_a_qr_code_and_the_key_with_no_script_nor_outside_address(client, person):
    password_only_login(client, person)

    response = client.get(reverse("mfa:setup"))

    html = response.content.decode()
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    main = html[html.index("<main") : html.index("</main>")]
    assert "<svg" in main and "<script" not in main and "style=" not in main
    assert not re.search(r'(src|href)="(https?:)?//', main)
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', main).group(1)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert "SSO Portal: person" in main


def test_the_same_key_is_shown_until_it_is_confirmed(client, person):
    password_only_login(client, person)
    client.get(reverse("mfa:setup"))
    client.get(reverse("mfa:setup"))

    assert TOTPDevice.objects.filter(user=person).count() == 1


def test_a_wrong_code_does_not_set_up_the_app(client, person):
    password_only_login(client, person)
    client.get(reverse("mfa:setup"))
    device = TOTPDevice.objects.get(user=person)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = _set_up(client, wrong)

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_code_that_is_not_six_digits_is_refused_with_a_message(client, person):
    password_only_login(client, person)
    client.get(reverse("mfa:setup"))

    response = _set_up(client, "12ab")

    assert "Enter the 6-digit code from your authenticator app<" in response.content.decode()


def test_the_right_code_sets_up_the_app_verifies_the_session_and_shows_ten_recovery_codes_once(client, person):
    password_only_login(client, person)
    client.get(reverse("mfa:setup"))
    device = TOTPDevice.objects.get(user=person)
    key_before = client.session.session_key

    response = _set_up(client, code_for(device), next_url="/portal/concerns/")

    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != key_before
    assert urlsplit(response.url).path == reverse("mfa:recovery-codes")
    shown = client.get(response.url)
    codes = shown.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert "This is the only time you will see these codes" in shown.content.decode()
    assert shown.context["next"] == "/portal/concerns/"
    again = client.get(response.url)
    assert again.context["codes"] is None
    assert not any(code in again.content.decode() for code in codes)


def test_someone_with_an_app_cannot_set_up_another_with_their_password_alone(client, person):
    device = authenticator(person)
    password_only_login(client, person)

    page = client.get(reverse("mfa:setup"))
    posted = _set_up(client, "123456")

    assert urlsplit(page.url).path == reverse("mfa:verify")
    assert urlsplit(posted.url).path == reverse("mfa:verify")
    assert list(TOTPDevice.objects.filter(user=person)) == [device]
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_wrong_codes_while_setting_up_are_throttled(client, person, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after one wrong code, however slow the machine
    password_only_login(client, person)
    client.get(reverse("mfa:setup"))
    device = TOTPDevice.objects.get(user=person)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    _set_up(client, wrong)

    response = _set_up(client, code_for(device))

    assert "too many wrong codes" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_the_setup_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("mfa:setup"))

    assert urlsplit(response.url).path == reverse("login")
