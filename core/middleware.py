"""``Cache-Control: no-store`` on every response the portal itself builds."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Nearly every page, file and API answer shows personal data (names of officers and DSLs,
    concerns, searches), so no browser, proxy or shared cache may keep a copy of any of them.
    Directives a view set itself stay (the council API adds ``private``); ``no-store`` is added.
    Static files never get here: WhiteNoise, earlier in ``MIDDLEWARE``, answers them, cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response
