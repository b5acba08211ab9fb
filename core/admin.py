"""Admin pieces shared by every app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class NoHistoryRevertMixin:
    """For a ``SimpleHistoryAdmin``: its versions can be read, never reverted.

    django-simple-history saves a revert POSTed to a version's page for anyone who may *view* the
    object, whatever their change permission, and it saves the whole old version, fields the admin
    shows read-only included. Here the page only shows the version.
    """

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class HistoryAdmin(NoHistoryRevertMixin, SimpleHistoryAdmin):
    """The admin of every model with a history: its versions are shown, never reverted.

    A revert saves a whole old version, past the fields the admin shows read only and past the
    services that check each change (a revoked API token, a posting's override, a login link), so
    changes are made through the admin's forms only, and the history is a record to read.
    """


class ReadOnlyAdminMixin(NoHistoryRevertMixin):
    """Viewable in the admin, never added, changed or deleted there: imported or computed data,
    audit trails, and records that only their own services may write."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
