"""The MFA pages, in the portal's GOV.UK style, for portal and admin users alike: set up an
authenticator app, enter a code after the password, and see or replace the recovery codes.

``setup`` and ``verify`` are the pages an unverified session may reach
(``MFA_EXEMPT_URL_NAMES``); ``recovery_codes`` needs a verified session.
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from . import services
from .forms import SetupCodeForm, VerifyCodeForm
from .qr import qr_code_svg, secret_for_typing

# Recovery codes just made, shown once by the next visit to the recovery codes page.
NEW_CODES_SESSION_KEY = "mfa_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where the person was going: a page of this site, else their home (the admin for staff)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index") if request.user.is_staff else resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _mark_verified(request: HttpRequest, device: Device) -> None:
    # A new session key for the verified session, as Django gives one at sign-in.
    request.session.cycle_key()
    django_otp.login(request, device)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user, next_url = request.user, _next_url(request)
    if services.has_authenticator(user):
        # Only a person without an app may set one up: a second one would skip the code.
        return redirect(next_url if user.is_verified() else _with_next("mfa:verify", next_url))
    device = services.pending_authenticator(user)
    form = SetupCodeForm(request.POST or None)
    if form.is_valid():
        try:
            enrolment = services.confirm_authenticator(user=user, code=form.cleaned_data["code"])
        except services.CodeRejected as error:
            form.add_error("code", str(error))
        else:
            _mark_verified(request, enrolment.device)
            request.session[NEW_CODES_SESSION_KEY] = enrolment.recovery_codes
            return redirect(_with_next("mfa:recovery-codes", next_url))
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_code_svg(device),
        "secret": secret_for_typing(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "mfa/setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not services.has_authenticator(user):
        return redirect(_with_next("mfa:setup", next_url))
    form = VerifyCodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.verify_code(user=user, code=form.cleaned_data["code"])
        except services.CodeRejected as error:
            form.add_error("code", str(error))
        else:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = services.recovery_codes_left(user)
                messages.warning(
                    request, f"You signed in with a recovery code. It will not work again: you have {left} left."
                )
                return redirect(_with_next("mfa:recovery-codes", next_url))
            return redirect(next_url)
    return render(request, "mfa/verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user, next_url = request.user, _next_url(request)
    if not user.is_verified():  # the middleware sends such sessions to verify first; so does this page
        return redirect(_with_next("mfa:verify", next_url))
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.replace_recovery_codes(user=user)
        return redirect(_with_next("mfa:recovery-codes", next_url))
    context = {
        "codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "left": services.recovery_codes_left(user),
        "next": next_url,
    }
    return render(request, "mfa/recovery_codes.html", context)
