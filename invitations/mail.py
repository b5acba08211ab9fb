"""The invitation e-mail, sent by ``tasks.send_invitation``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .models import Invitation
from .tokens import hash_token, invitation_token, invitation_url

logger = logging.getLogger(__name__)


def send_invitation_email(*, invitation_id: int) -> bool:
    """E-mail the link of a pending invitation; returns whether it was sent.

    The message holds the link and its expiry only: no name, school or role.
    """
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        logger.info("Invitation %s is no longer pending: not sent", invitation_id)
        return False
    if hash_token(invitation_token(invitation)) != invitation.token_hash:
        # The secret key changed since the invitation was made: this link would not work.
        logger.warning("Invitation %s cannot be sent: its link no longer matches; invite again", invitation_id)
        return False
    expires = format_date(timezone.localtime(invitation.expires_at), "j M Y \\a\\t H:i")
    send_mail(
        "You are invited to SSO Portal",
        "You have been invited to use SSO Portal, the Safer Schools Officers' case-management system.\n\n"
        f"Open this link to set your password:\n{invitation_url(invitation)}\n\n"
        f"The link works once, until {expires}. If you were not expecting this e-mail, ignore it: nothing "
        "happens unless the link is used.\n",
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
    return True
