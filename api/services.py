"""Writes for council API clients and tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schools.models import LocalAuthority

from .models import ApiClient, ApiToken

TOKEN_PREFIX = "sso_"
DEFAULT_TOKEN_LIFETIME = datetime.timedelta(days=365)


def hash_secret(secret: str) -> str:
    """SHA-256 of a token secret: secrets are 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_client(
    *, name: str, local_authorities: Iterable[LocalAuthority], scopes: Iterable[str], contact_email: str = ""
) -> ApiClient:
    client = ApiClient(name=name, scopes=sorted(set(scopes)), contact_email=contact_email)
    client.full_clean()
    client.save()
    client.local_authorities.set(local_authorities)
    return client


@transaction.atomic
def issue_api_token(
    *, client: ApiClient, lifetime: datetime.timedelta = DEFAULT_TOKEN_LIFETIME
) -> tuple[ApiToken, str]:
    """Create a token for ``client``; returns it with its secret, which is never stored or shown again."""
    if lifetime <= datetime.timedelta(0):
        raise ValidationError({"expires_at": "A token must expire in the future."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        client=client,
        prefix=secret[: len(TOKEN_PREFIX) + 8],
        secret_hash=hash_secret(secret),
        expires_at=timezone.now() + lifetime,
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Revoke ``token`` from now on; revoking twice keeps the first revocation time."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.full_clean()
        token.save(update_fields=["revoked_at"])
    return token
