"""Bearer-token authentication for council API clients.

Only ``Authorization: Bearer <secret>`` is accepted. A token in the query string is refused
outright (401), because URLs end up in logs, browser history and proxies.
"""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from .models import ApiClient, ApiToken
from .selectors import usable_token_for_secret

URL_TOKEN_PARAMETERS = ("token", "access_token", "api_key", "apikey", "key", "bearer")


@dataclass(frozen=True)
class ApiClientUser:
    """``request.user`` for an API request: the council client, never a portal login."""

    client: ApiClient
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False

    @property
    def pk(self) -> int:
        return self.client.pk

    def __str__(self) -> str:
        return f"API client {self.client.name}"


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiClientUser, ApiToken] | None:
        if any(name in request.query_params for name in URL_TOKEN_PARAMETERS):
            raise AuthenticationFailed("Tokens are accepted only in the Authorization header, never in the URL.")
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Malformed Authorization header: use 'Bearer <token>'.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed("Invalid, expired or revoked token.") from error
        token = usable_token_for_secret(secret=secret)
        if token is None:
            raise AuthenticationFailed("Invalid, expired or revoked token.")
        return ApiClientUser(client=token.client), token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 when no token is given.
        return f'{self.keyword} realm="api"'
