"""Writes to child safeguarding statements: a DSL saves the draft, the head teacher signs it off,
either of them publishes it. Each write is one transaction, checked by ``full_clean()``, and keeps
a version in the statement's history naming who made it."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from access.roles import PortalRoles
from schools.models import School

from .models import SECTIONS, SafeguardingStatement, StatementStatus


def _save(statement: SafeguardingStatement, *, by: AbstractBaseUser, reason: str) -> SafeguardingStatement:
    statement.full_clean()
    statement._history_user = by
    statement._change_reason = reason
    statement.save()
    return statement


@transaction.atomic
def save_draft(*, roles: PortalRoles, school: School, sections: dict[str, str]) -> SafeguardingStatement:
    """Save the school's draft, starting one from the latest signed version if it has none.

    Only the school's DSLs draft."""
    if school.pk not in roles.dsl_school_ids:
        raise PermissionDenied
    # Locks the school's row: two DSLs starting a draft at once make one, not two version numbers.
    School.objects.select_for_update().get(pk=school.pk)
    draft = SafeguardingStatement.objects.drafts().filter(school=school).first()
    reason = "Draft changed"
    if draft is None:
        latest = SafeguardingStatement.objects.filter(school=school).order_by("-version").first()
        draft = SafeguardingStatement(
            school=school,
            version=(latest.version + 1) if latest else 1,
            based_on=latest if latest is not None and latest.is_signed else None,
        )
        reason = "Draft started"
    for name in SECTIONS:
        setattr(draft, name, sections.get(name, "").strip())
    draft.drafted_by = roles.user
    return _save(draft, by=roles.user, reason=reason)


def new_draft_sections(school: School) -> dict[str, str]:
    """What a new draft starts from: the latest signed version's text, or nothing."""
    latest = SafeguardingStatement.objects.signed().filter(school=school).order_by("-version").first()
    return {name: getattr(latest, name) for name in SECTIONS} if latest else {}


@transaction.atomic
def sign_statement(
    *,
    roles: PortalRoles,
    statement: SafeguardingStatement,
    signatory_name: str,
    publish: bool,
    show_signatory_name: bool,
    on: datetime.date,
) -> SafeguardingStatement:
    """The head teacher signs the draft off: from then on it is read-only, its review falls due a
    year later, and it is published (or not) as they choose."""
    statement = SafeguardingStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.school_id not in roles.head_teacher_school_ids:
        raise PermissionDenied
    if statement.is_signed:
        raise ValidationError("This statement is already signed.")
    errors = statement.ready_to_sign_errors()
    if not signatory_name.strip():
        errors["signatory_name"] = "Enter your name as you sign"
    if errors:
        raise ValidationError(errors)
    statement.status = StatementStatus.SIGNED
    statement.signed_by = roles.user
    statement.signatory_name = signatory_name.strip()
    statement.signed_on = on
    statement.review_due_on = SafeguardingStatement.review_due_after(on)
    statement.is_published = publish
    statement.shows_signatory_name = publish and show_signatory_name
    return _save(statement, by=roles.user, reason="Signed off by the head teacher")


@transaction.atomic
def set_publication(
    *, roles: PortalRoles, statement: SafeguardingStatement, publish: bool, show_signatory_name: bool
) -> SafeguardingStatement:
    """Publish the school's statement in force on its public page, or take it down. The school's
    DSLs and head teacher decide."""
    statement = SafeguardingStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.school_id not in roles.dsl_school_ids | roles.head_teacher_school_ids:
        raise PermissionDenied
    if not statement.is_signed:
        raise ValidationError("Only a signed statement can be published.")
    latest = SafeguardingStatement.objects.signed().filter(school_id=statement.school_id).order_by("-version").first()
    if latest.pk != statement.pk:
        raise ValidationError("Only the latest signed statement can be published: older versions are kept as history.")
    statement.is_published = publish
    statement.shows_signatory_name = publish and show_signatory_name
    return _save(statement, by=roles.user, reason="Published" if publish else "Taken off the public page")
