"""Admin pieces shared by every app."""

from __future__ import annotations


class ReadOnlyAdminMixin:
    """Viewable in the admin, never added, changed or deleted there: imported or computed data,
    audit trails, and records that only their own services may write."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
