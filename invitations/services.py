"""Writes for invitations: invite, withdraw, accept (the e-mail is ``mail.py``, sent by ``tasks.py``).

Accepting is the only way a login is linked to a DSL contact, an officer or a school's staff
(through ``schools.services`` and ``officers.services``). It happens in one transaction with the
invitation marked used, each row keeping a version that names the invitation.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access.roles import PortalRoles, can_hold_portal_role
from officers.models import Officer, OfficerStatus
from officers.services import link_officer_login
from schools.models import DSLContact, School
from schools.services import add_school_staff, link_dsl_contact_login

from .mail import send_invitation_email
from .models import STAFF_ROLE_OF_KIND, Invitation, InvitationKind, InvitationStatus
from .permissions import can_invite, can_withdraw
from .tokens import hash_token, invitation_token


class InvitationUnusable(Exception):
    """The link is unknown, expired, used or withdrawn (``status``: None when unknown)."""

    def __init__(self, status: InvitationStatus | None) -> None:
        super().__init__(status)
        self.status = status


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INVITATION_LIFETIME_DAYS)


def check_invitation(
    *,
    roles: PortalRoles,
    kind: str,
    dsl_contact: DSLContact | None = None,
    officer: Officer | None = None,
    school: School | None = None,
) -> None:
    """Raise ``PermissionDenied`` unless ``roles`` may invite to this, and ``ValidationError``
    (keyed by field) unless the record can take a new login."""
    targets = {"dsl_contact": dsl_contact, "officer": officer, "school": school}
    needed = {
        InvitationKind.DSL_CONTACT: "dsl_contact",
        InvitationKind.OFFICER: "officer",
        InvitationKind.SCHOOL_STAFF: "school",
        InvitationKind.HEAD_TEACHER: "school",
    }.get(kind)
    if needed is None:
        raise ValidationError({"kind": "Choose what the person is invited as."})
    if targets[needed] is None:
        raise ValidationError({needed: "Choose who or where this invitation is for."})
    if any(value is not None for name, value in targets.items() if name != needed):
        raise ValidationError("Choose only the one record this kind of invitation is for.")
    if not can_invite(roles, kind, school_id=school.pk if school else None):
        raise PermissionDenied("You may not send this invitation.")
    if dsl_contact is not None:
        if not dsl_contact.is_current:
            raise ValidationError({"dsl_contact": "This DSL contact is no longer current."})
        if dsl_contact.user_id is not None:
            raise ValidationError(
                {"dsl_contact": "This DSL contact already has a portal login: remove it first to invite someone else."}
            )
    if officer is not None:
        if officer.status == OfficerStatus.LEFT:
            raise ValidationError({"officer": "This officer has left the role."})
        if officer.user_id is not None:
            raise ValidationError(
                {"officer": "This officer already has a portal login: remove it first to invite them again."}
            )


@transaction.atomic
def invite(
    *,
    roles: PortalRoles,
    kind: str,
    email: str,
    name: str = "",
    dsl_contact: DSLContact | None = None,
    officer: Officer | None = None,
    school: School | None = None,
) -> Invitation:
    """Invite ``email``; the e-mail with the link is sent once the transaction commits.

    A pending invitation for the same record (for staff: the same school, kind and address) is
    withdrawn, so only the newest link works.
    """
    check_invitation(roles=roles, kind=kind, dsl_contact=dsl_contact, officer=officer, school=school)
    email = BaseUserManager.normalize_email(email.strip())
    if not name and dsl_contact is not None:
        name = dsl_contact.name
    elif not name and officer is not None:
        name = officer.full_name
    now = timezone.now()
    earlier = Invitation.objects.pending(now).select_for_update()
    if kind in STAFF_ROLE_OF_KIND:
        earlier = earlier.filter(kind=kind, school=school, email__iexact=email)
    else:
        earlier = earlier.filter(kind=kind, dsl_contact=dsl_contact, officer=officer)
    for superseded in earlier:
        _withdraw(superseded, by=roles.user, reason="Replaced by a new invitation")
    invitation = Invitation(
        email=email,
        name=name.strip(),
        kind=kind,
        dsl_contact=dsl_contact,
        officer=officer,
        school=school,
        invited_by=roles.user,
        salt=secrets.token_hex(32),
        created_at=now,
        expires_at=now + lifetime(),
    )
    invitation.token_hash = hash_token(invitation_token(invitation))
    invitation.full_clean()
    invitation._history_user = roles.user
    invitation.save()
    # Recorded now and sent once this commits; only the delivery's id crosses to Celery, and the
    # link is derived again when the e-mail is sent (invitations.mail).
    send_invitation_email(invitation=invitation)
    return invitation


def _withdraw(invitation: Invitation, *, by: AbstractBaseUser, reason: str) -> None:
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation._history_user = by
    invitation._change_reason = reason
    invitation.save(update_fields=["revoked_at", "revoked_by"])


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, roles: PortalRoles) -> Invitation:
    """Withdraw a pending invitation, so its link no longer works; anything else is left as it is."""
    if not can_withdraw(roles, invitation):
        raise PermissionDenied("You may not withdraw this invitation.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_pending:
        _withdraw(invitation, by=roles.user, reason="Withdrawn")
    return invitation


def find_invitation(token: str) -> Invitation:
    """The invitation a link's token belongs to, whatever its status; ``InvitationUnusable`` if none."""
    invitation = (
        Invitation.objects.select_related("invited_by", "dsl_contact__school", "officer", "school")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(None)
    return invitation


def _pending_for_update(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("dsl_contact__school", "officer", "school")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(None)
    status = invitation.status()
    if status != InvitationStatus.PENDING:
        raise InvitationUnusable(status)
    return invitation


def active_login_exists(email: str) -> bool:
    """Whether an active login that could hold a portal role already uses this e-mail address."""
    return (
        get_user_model()
        .objects.filter(email__iexact=email, is_active=True, is_staff=False, is_superuser=False)
        .exists()
    )


def new_login_errors(*, invitation: Invitation, username: str, password: str) -> dict[str | None, list[str]]:
    """What is wrong with a new login for ``invitation`` (``None``: not about one field); empty if nothing.

    An active non-staff login that already has the invited address is refused: its holder signs
    in and accepts as that login (``accept_as``), so nobody holds two.
    """
    if active_login_exists(invitation.email):
        return {
            None: [
                "You already have an SSO Portal login with this e-mail address. Sign in with it, then open the "
                "link in your invitation again."
            ]
        }
    errors: dict[str | None, list[str]] = {}
    User = get_user_model()
    username = username.strip()
    try:
        User.username_validator(username)
    except ValidationError as error:
        errors["username"] = error.messages
    if not username:
        errors["username"] = ["Enter a username"]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["That username is taken: choose another"]
    try:
        password_validation.validate_password(password, user=_new_user(invitation, username))
    except ValidationError as error:
        errors["password"] = error.messages
    return errors


def _new_user(invitation: Invitation, username: str) -> AbstractBaseUser:
    first_name, _, last_name = invitation.name.partition(" ")
    return get_user_model()(username=username, email=invitation.email, first_name=first_name, last_name=last_name)


@transaction.atomic
def accept_with_new_login(*, token: str, username: str, password: str) -> AbstractBaseUser:
    """Create a non-staff login for the invited address with this username and password, and link it."""
    invitation = _pending_for_update(token)
    username = username.strip()
    errors = new_login_errors(invitation=invitation, username=username, password=password)
    if errors:
        raise ValidationError({key or NON_FIELD_ERRORS: messages for key, messages in errors.items()})
    user = _new_user(invitation, username)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _accept(invitation, user)
    return user


@transaction.atomic
def accept_as(*, token: str, user: AbstractBaseUser) -> AbstractBaseUser:
    """Link the signed-in ``user``, who must be a non-staff login with the invited address."""
    invitation = _pending_for_update(token)
    if not can_hold_portal_role(user):
        raise PermissionDenied("A staff account cannot accept an invitation.")
    if user.email.casefold() != invitation.email.casefold():
        raise PermissionDenied("This invitation was sent to another e-mail address.")
    _accept(invitation, user)
    return user


def _accept(invitation: Invitation, user: AbstractBaseUser) -> None:
    reason = f"Invitation {invitation.pk} accepted"
    if invitation.kind == InvitationKind.DSL_CONTACT:
        link_dsl_contact_login(contact=invitation.dsl_contact, user=user, by=user, reason=reason)
    elif invitation.kind == InvitationKind.OFFICER:
        link_officer_login(officer=invitation.officer, user=user, by=user, reason=reason)
    else:
        role = STAFF_ROLE_OF_KIND[InvitationKind(invitation.kind)]
        add_school_staff(school=invitation.school, user=user, role=role, by=user, reason=reason)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation._history_user = user
    invitation._change_reason = "Accepted"
    invitation.save(update_fields=["accepted_at", "accepted_user"])
