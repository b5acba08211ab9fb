"""Puts ``request.portal_roles`` on every request: the one object views ask who the user is."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .roles import PortalRoles


class PortalRolesMiddleware:
    """After ``AuthenticationMiddleware``. Nothing is looked up until a view asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.portal_roles = PortalRoles(request.user)
        return self.get_response(request)
