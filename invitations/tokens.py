"""An invitation's link: its token is never stored, only derived again when needed."""

from __future__ import annotations

import hashlib

from django.utils.crypto import salted_hmac

from core.links import portal_url

from .models import Invitation

TOKEN_KEY_SALT = "invitations.Invitation.token"


def invitation_token(invitation: Invitation) -> str:
    """The secret in the invitation's link: derived from its random salt with the secret key, so
    a copy of the database alone cannot make a link, and the e-mail task needs only the id."""
    return salted_hmac(TOKEN_KEY_SALT, invitation.salt, algorithm="sha256").hexdigest()


def hash_token(token: str) -> str:
    """SHA-256 of a token: tokens are 256 bits from the secret key's HMAC, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(invitation: Invitation) -> str:
    return portal_url("invitations:accept", invitation_token(invitation))
