"""What each role may do with concerns; who a user *is* comes from ``access`` (``request.portal_roles``).

Reading is decided by ``Concern.objects.visible_to``; these predicates decide writes.
"""

from __future__ import annotations

from access.roles import PortalRoles


def can_log_concern_for(roles: PortalRoles, school) -> bool:
    return school.pk in roles.dsl_school_ids


def can_manage_concern(roles: PortalRoles, concern) -> bool:
    """Status changes, sharing and attachments belong to the school's DSLs."""
    return concern.school_id in roles.dsl_school_ids


def can_add_action(roles: PortalRoles, concern) -> bool:
    """The school's DSLs, and the posted SSO once the concern is shared, add to the chronology."""
    if can_manage_concern(roles, concern):
        return True
    return concern.shared_with_police and concern.school_id in roles.sso_school_ids


def can_pass_concern_to_dsl(roles: PortalRoles, school) -> bool:
    """An SSO passes information or a concern about a pupil to the DSLs of a school they are posted to."""
    return school.pk in roles.sso_school_ids


def can_report_to_dsl(roles: PortalRoles, school) -> bool:
    """Every current member of a school's staff (and its DSLs) reports what they saw to the DSL."""
    return school.pk in roles.staff_school_ids or school.pk in roles.dsl_school_ids


def can_triage(roles: PortalRoles, report) -> bool:
    return report.school_id in roles.dsl_school_ids


def can_mark_body_map(roles: PortalRoles, concern) -> bool:
    """The school's DSLs, and a member of staff whose own report became (or was added to) the concern."""
    if can_manage_concern(roles, concern):
        return True
    if concern.school_id not in roles.staff_school_ids:
        return False
    return concern.staff_reports.filter(reported_by=roles.user).exists()


def can_complete_task(roles: PortalRoles, task) -> bool:
    """The member of staff the task is for, or any DSL of its school."""
    return task.school_id in roles.dsl_school_ids or (
        task.assigned_to_id == roles.user.pk and task.school_id in roles.staff_school_ids
    )
