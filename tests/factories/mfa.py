"""MFA for tests: a confirmed authenticator app, a code it would show now, and the two ways to
sign a test client in.

Every test's ``client.force_login(user)`` also marks the session verified by the user's
authenticator app (an autouse fixture in tests/conftest.py), as the code step would, so tests
of other things need no MFA of their own. MFA's own tests sign in with ``password_only_login``
and go through the steps.
"""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# Django's own force_login, kept before the autouse fixture wraps it.
_django_force_login = Client.force_login


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator app, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next step's when the current one was
    already used (django-otp refuses a code of a step it has accepted; it allows one step ahead)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def password_only_login(client: Client, user) -> Client:
    """Signed in with the password alone: the session has passed no second factor."""
    _django_force_login(client, user)
    return client


def verified_login(client: Client, user, backend: str | None = None) -> Client:
    """Signed in and verified by the user's authenticator app (what every ``force_login`` does)."""
    _django_force_login(client, user, backend)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
    return client
