"""Writes for the portal logins of DSL contacts and school staff.

Access is granted, never taken: a login is linked here only when its holder accepts an
invitation (``invitations.services``), or by the demo loader, and removed by an administrator
(the admin's "Remove portal login" and "End membership" actions). Each write keeps a version in
the row's history naming who made it and why.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import DSLContact, School, SchoolStaff, StaffRole


def _save_version(row: models.Model, *, by: AbstractBaseUser | None, reason: str, fields: list[str]) -> None:
    row.full_clean()
    # Read by django-simple-history for the version this save makes (outside a request, or for
    # someone other than the request's user, as when an invitation is accepted).
    row._history_user = by
    row._change_reason = reason
    row.save(update_fields=fields)


@transaction.atomic
def link_dsl_contact_login(
    *, contact: DSLContact, user: AbstractBaseUser, by: AbstractBaseUser | None, reason: str
) -> DSLContact:
    """Make ``user`` the portal login of a current DSL contact that has none (or has this one)."""
    contact = DSLContact.objects.select_for_update().select_related("school").get(pk=contact.pk)
    if contact.user_id == user.pk:
        return contact
    if not contact.is_current:
        raise ValidationError("This DSL contact is no longer current.")
    if contact.user_id is not None:
        raise ValidationError("This DSL contact already has a portal login.")
    contact.set_portal_login(user)
    _save_version(contact, by=by, reason=reason, fields=["user", "updated_at"])
    return contact


@transaction.atomic
def remove_dsl_contact_login(*, contact: DSLContact, by: AbstractBaseUser, reason: str) -> DSLContact:
    """Take away a DSL contact's portal login (revoking its access); nothing happens without one."""
    contact = DSLContact.objects.select_for_update().select_related("school").get(pk=contact.pk)
    if contact.user_id is not None:
        contact.set_portal_login(None)
        _save_version(contact, by=by, reason=reason, fields=["user", "updated_at"])
    return contact


@transaction.atomic
def add_school_staff(
    *, school: School, user: AbstractBaseUser, role: StaffRole, by: AbstractBaseUser | None, reason: str
) -> SchoolStaff:
    """Make ``user`` a current member of ``school``'s staff in ``role`` (changing the role of a
    current membership)."""
    membership = SchoolStaff.objects.select_for_update().filter(school=school, user=user, is_current=True).first()
    if membership is None:
        membership = SchoolStaff(school=school, role=role)
        membership.set_portal_login(user)
        membership.full_clean()
        membership._history_user = by
        membership._change_reason = reason
        membership.save()
    elif membership.role != role:
        membership.role = role
        _save_version(membership, by=by, reason=reason, fields=["role", "updated_at"])
    return membership


@transaction.atomic
def end_school_staff(*, membership: SchoolStaff, by: AbstractBaseUser, reason: str) -> SchoolStaff:
    """End a staff membership (revoking its access); the record is kept, not current."""
    membership = SchoolStaff.objects.select_for_update().get(pk=membership.pk)
    if membership.is_current:
        membership.is_current = False
        _save_version(membership, by=by, reason=reason, fields=["is_current", "updated_at"])
    return membership
