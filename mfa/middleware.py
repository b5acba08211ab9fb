"""Sends every signed-in person to the second factor before any other page.

After ``django_otp.middleware.OTPMiddleware``, which sets ``request.user.is_verified()`` from the
session. A signed-in session that no authenticator code or recovery code has verified gets a
redirect to the verification page, or to enrolment while the person has no authenticator app,
for every page except those in ``MFA_EXEMPT_URL_NAMES`` and under ``MFA_EXEMPT_PATH_PREFIXES``.
The admin included: its pages are views like any other.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .services import has_authenticator


class MFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.exempt_names = frozenset(settings.MFA_EXEMPT_URL_NAMES)
        self.exempt_prefixes = tuple(settings.MFA_EXEMPT_PATH_PREFIXES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in self.exempt_names or request.path_info.startswith(self.exempt_prefixes):
            return None
        step = "mfa:verify" if has_authenticator(user) else "mfa:setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
