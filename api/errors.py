"""One error body for every council API error: ``{"status", "code", "detail", "errors"}``.

``errors`` maps a query parameter (or ``non_field_errors``) to its messages on a 400 and is
empty otherwise; ``code`` is a stable machine-readable word (``invalid``, ``not_authenticated``,
``authentication_failed``, ``permission_denied``, ``not_found``, ``throttled``).
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


def council_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {str(name): _messages(messages) for name, messages in detail.items()}
        response.data = {
            "status": response.status_code,
            "code": "invalid",
            "detail": "The request's query parameters are not valid: see errors.",
            "errors": errors,
        }
        return response
    if isinstance(exc, exceptions.Throttled):
        # Always a whole number of seconds of at least 1 (DRF leaves the header out for 0).
        response["Retry-After"] = str(max(1, math.ceil(exc.wait or 0)))
    code = exc.get_codes()
    response.data = {
        "status": response.status_code,
        "code": code if isinstance(code, str) else exc.default_code,
        "detail": " ".join(_messages(exc.detail)),
        "errors": {},
    }
    return response
