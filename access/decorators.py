"""View decorators that admit a signed-in user by their portal roles (``request.portal_roles``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from access.roles import PortalRoles


def role_required(predicate: Callable[[PortalRoles], bool]):
    """Signed-in users whose roles satisfy ``predicate``; others get 403 (anonymous: the log-in page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not predicate(request.portal_roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
