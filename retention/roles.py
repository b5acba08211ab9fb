"""Who may review erasures and export personal data.

The "Data protection officer" group (staff) reviews the records listed for erasure, confirms or
holds each, changes the retention rules, reads the tombstones and the log of subject access
exports, and exports an officer's data. A "Force lead" (staff) may export an officer's data too.
Both groups are created by name in migration 0002 (``get_or_create``: another change may create
"Force lead" as well). BCU managers hold none of these rights.
"""

from __future__ import annotations

from access.roles import AnyUser

DATA_PROTECTION_OFFICER_GROUP = "Data protection officer"
FORCE_LEAD_GROUP = "Force lead"

REVIEW_ERASURE = "retention.review_erasure"
EXPORT_OFFICER_DATA = "retention.export_officer_data"


def _staff_with(user: AnyUser, permission: str) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm(permission)


def may_review_erasures(user: AnyUser) -> bool:
    """Confirm or hold erasures: active staff with the right (the data protection officer group, superusers)."""
    return _staff_with(user, REVIEW_ERASURE)


def may_export_officer_data(user: AnyUser) -> bool:
    """Export an officer's data: active staff with the right (data protection officers, force leads, superusers)."""
    return _staff_with(user, EXPORT_OFFICER_DATA)
