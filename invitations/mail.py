"""The invitation e-mail, sent through the one delivery path (``notifications``).

Its delivery records the message with the link left out (``LINK_WITHHELD``): the link's secret
is never stored, in the invitation or in the delivery. When the e-mail is sent, ``invitation_body``
(registered as the kind's body renderer) derives the link again from the invitation's salt.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.dateformat import format as format_date

from core.reminders import object_id
from notifications.models import Delivery
from notifications.renderers import body_renderer
from notifications.services import deliver

from .models import Invitation
from .tokens import hash_token, invitation_token, invitation_url

logger = logging.getLogger(__name__)

KIND = "invitation"
SUBJECT = "You are invited to SSO Portal"
LINK_WITHHELD = "(the link is added when the e-mail is sent, and never stored)"


def _body(invitation: Invitation, link: str) -> str:
    """The message: the link and its expiry only, no name, school or role."""
    expires = format_date(timezone.localtime(invitation.expires_at), "j M Y \\a\\t H:i")
    return (
        "You have been invited to use SSO Portal, the Safer Schools Officers' case-management system.\n\n"
        f"Open this link to set your password:\n{link}\n\n"
        f"The link works once, until {expires}. If you were not expecting this e-mail, ignore it: nothing "
        "happens unless the link is used.\n"
    )


def send_invitation_email(*, invitation: Invitation) -> list[Delivery]:
    """Record the invitation's e-mail (link withheld) and send it once the transaction commits."""
    return deliver(
        kind=KIND,
        object_key=f"invitation:{invitation.pk}",
        recipients=[invitation.email],
        subject=SUBJECT,
        body=_body(invitation, LINK_WITHHELD),
    )


@body_renderer(KIND)
def invitation_body(delivery: Delivery) -> str | None:
    """The e-mail with its link, derived now; None when the invitation is no longer pending (then
    nothing is sent) or its link no longer works."""
    invitation = Invitation.objects.filter(pk=object_id(delivery.object_key, "invitation")).first()
    if invitation is None or not invitation.is_pending:
        logger.info("Invitation of delivery %s is no longer pending: not sent", delivery.pk)
        return None
    if hash_token(invitation_token(invitation)) != invitation.token_hash:
        # The secret key changed since the invitation was made: this link would not work.
        logger.warning(
            "Invitation of delivery %s cannot be sent: its link no longer matches; invite again", delivery.pk
        )
        return None
    return _body(invitation, invitation_url(invitation))
