"""Every write of MFA state: enrolling an authenticator app, verifying a code, replacing the
recovery codes, and an administrator's reset. Codes are checked through django-otp, whose devices
throttle wrong codes: each one doubles the wait before the next try (``OTP_*_THROTTLE_FACTOR``).

A rejected code raises ``CodeRejected`` only after django-otp has committed the failure count, so
an error never rolls back the throttle.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

import django_otp
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import MFAReset

logger = logging.getLogger(__name__)

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")
# django-otp's StaticToken.random_token(): 8 characters of lower-case base32.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


class CodeRejected(Exception):
    """A code that did not verify, with the message to show the person."""


def normalise_code(code: str) -> str:
    """Codes as people type them: spaces and hyphens dropped, letters in lower case."""
    return re.sub(r"[\s-]", "", code).lower()


def authenticator(user: AbstractBaseUser) -> TOTPDevice | None:
    """The person's confirmed authenticator app, or None until they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_authenticator(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_authenticator(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed app being set up: the same key on every visit until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def _wait(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 2 * 3600:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def _refuse_while_throttled(device: Device) -> None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return
    if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        wait = _wait((details["locked_until"] - timezone.now()).total_seconds())
        raise CodeRejected(f"You have entered too many wrong codes. Wait {wait}, then try again")
    raise CodeRejected("This code cannot be checked now. Try again later")


def _verify(user: AbstractBaseUser, device: Device, code: str, wrong: str) -> Device:
    _refuse_while_throttled(device)
    verified = django_otp.verify_token(user, device.persistent_id, code)  # commits the throttle count
    if verified is None:
        logger.warning("Wrong MFA code for user %s (%s)", user.pk, device.persistent_id)
        raise CodeRejected(wrong)
    return verified


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_CODES_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


def confirm_authenticator(*, user: AbstractBaseUser, code: str) -> Enrolment:
    """Confirm the app being set up with a code it shows; then it is the person's only app, and
    they get a fresh set of recovery codes. Raises ``CodeRejected``."""
    if has_authenticator(user):
        raise CodeRejected("You have already set up an authenticator app")
    device = pending_authenticator(user)
    code = normalise_code(code)
    if not TOTP_CODE.fullmatch(code):
        raise CodeRejected("Enter the 6-digit code from your authenticator app")
    wrong = "The code is not right. Check that you scanned the QR code on this page, then try again"
    _verify(user, device, code, wrong)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
    logger.info("User %s set up an authenticator app", user.pk)
    return Enrolment(device=device, recovery_codes=codes)


def verify_code(*, user: AbstractBaseUser, code: str) -> Device:
    """The device that accepts ``code``: the authenticator app for 6 digits, otherwise the
    recovery codes (a recovery code works once). Raises ``CodeRejected``."""
    code = normalise_code(code)
    if TOTP_CODE.fullmatch(code):
        device = authenticator(user)
    elif RECOVERY_CODE.fullmatch(code):
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    else:
        raise CodeRejected("Enter the 6-digit code from your authenticator app, or a recovery code")
    if device is None:
        raise CodeRejected("The code is not right. Check your authenticator app and try again")
    verified = _verify(user, device, code, "The code is not right. Check your authenticator app and try again")
    logger.info("User %s verified with %s", user.pk, verified.persistent_id)
    return verified


@transaction.atomic
def replace_recovery_codes(*, user: AbstractBaseUser) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    if not has_authenticator(user):
        raise CodeRejected("Set up an authenticator app first")
    codes = _new_recovery_codes(user)
    logger.info("User %s replaced their recovery codes", user.pk)
    return codes


@transaction.atomic
def reset_mfa(*, user: AbstractBaseUser, reset_by: AbstractBaseUser | None, via: str) -> MFAReset:
    """Remove the person's authenticator app and recovery codes, so they set up a new app at their
    next request, and record who did it. ``reset_by`` is None from the command line."""
    devices = list(django_otp.devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    reset = MFAReset.objects.create(
        user=user,
        username=user.get_username(),
        reset_by=reset_by,
        reset_by_username=reset_by.get_username() if reset_by is not None else "",
        via=via,
        devices_removed=len(devices),
    )
    logger.warning("MFA of user %s reset by %s (%s)", user.pk, reset_by.pk if reset_by else "-", via)
    return reset
