from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import ApiToken


class HasApiScope(BasePermission):
    """A usable token whose client holds the view's ``required_scope``.

    Without a token DRF answers 401 (the authenticator's challenge); with one lacking the
    scope, 403.
    """

    message = "This API client is not granted the scope this endpoint needs."

    def has_permission(self, request: Request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        return token.client.has_scope(view.required_scope)
