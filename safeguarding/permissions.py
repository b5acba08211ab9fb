"""What each role may do with concerns; who a user *is* comes from ``ssoportal.roles``.

Reading is decided by ``Concern.objects.visible_to``; these predicates decide writes and pages.
"""

from __future__ import annotations

from ssoportal import roles


def dsl_school_ids(user) -> set[int]:
    """``roles.dsl_school_ids``, asked once per user object (a page asks several times)."""
    if not hasattr(user, "_safeguarding_dsl_school_ids"):
        user._safeguarding_dsl_school_ids = roles.dsl_school_ids(user)
    return user._safeguarding_dsl_school_ids


def sso_school_ids(user) -> set[int]:
    """``roles.sso_school_ids``, asked once per user object."""
    if not hasattr(user, "_safeguarding_sso_school_ids"):
        user._safeguarding_sso_school_ids = roles.sso_school_ids(user)
    return user._safeguarding_sso_school_ids


def is_portal_user(user) -> bool:
    """DSLs and SSOs use the concern pages; nobody else reads concerns."""
    return bool(dsl_school_ids(user) or sso_school_ids(user))


def is_dsl(user) -> bool:
    return bool(dsl_school_ids(user))


def can_see_statistics(user) -> bool:
    """BCU managers and council readers see aggregate counts, never contents."""
    return roles.is_bcu_manager(user) or roles.is_council_reader(user)


def can_log_concern_for(user, school) -> bool:
    return school.pk in dsl_school_ids(user)


def can_manage_concern(user, concern) -> bool:
    """Status changes, sharing and attachments belong to the school's DSLs."""
    return concern.school_id in dsl_school_ids(user)


def can_add_action(user, concern) -> bool:
    """The school's DSLs, and the posted SSO once the concern is shared, add to the chronology."""
    if can_manage_concern(user, concern):
        return True
    return concern.shared_with_police and concern.school_id in sso_school_ids(user)
