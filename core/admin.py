"""Admin pieces shared by every app."""

from __future__ import annotations

from django.contrib import admin
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


class ScopedChangeAdminMixin:
    """For a ModelAdmin whose rows belong to one BCU: a row outside the user's write scope is
    read-only to them (its page shows it without a save button; a POST to it is refused with a
    403), and it cannot be deleted. The group rights still decide everything else.

    ``scope_of(obj)`` names the row's BCU id; ``may_change_scope(request, scope)`` answers for the
    user (``request.portal_roles.may_change_bcu``).
    """

    def scope_of(self, obj) -> int | None:
        raise NotImplementedError

    def may_change_scope(self, request, scope: int | None) -> bool:
        return request.portal_roles.may_change_bcu(scope)

    def may_change_object(self, request, obj) -> bool:
        return obj is None or self.may_change_scope(request, self.scope_of(obj))

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.may_change_object(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.may_change_object(request, obj)

    def get_deleted_objects(self, objs, request):
        # The changelist's "delete selected" asks for no object: a row outside the scope among
        # those selected makes the whole deletion refused, as a missing right would.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not self.may_change_object(request, obj) for obj in objs):
            perms_needed = {*perms_needed, f"{self.opts.verbose_name_plural} of a BCU you do not manage"}
        return deleted, counts, perms_needed, protected

    def limit_to_scope(self, request, queryset, lookup: str):
        """``queryset`` cut to the rows whose ``lookup`` (a BCU id path) the user may change: the
        choices of a form field, so a row of another BCU cannot be chosen."""
        roles = request.portal_roles
        if roles.changes_every_bcu:
            return queryset
        return queryset.filter(**{f"{lookup}__in": roles.managed_bcu_ids})


class ScopedInlineMixin:
    """For an inline of a ``ScopedChangeAdminMixin`` admin: read-only when the parent row is."""

    def _parent_may_change(self, request, obj) -> bool:
        parent_admin = self.admin_site._registry[self.parent_model]
        return parent_admin.may_change_object(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self._parent_may_change(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._parent_may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._parent_may_change(request, obj)


class InputFilter(admin.ListFilter):
    """A list filter of typed values (a URN, dates) instead of links, one GET form in the sidebar."""

    template = "admin/input_filter.html"
    # (query parameter, label, HTML input type)
    inputs: tuple[tuple[str, str, str], ...] = ()

    def __init__(self, request, params, model, model_admin) -> None:
        super().__init__(request, params, model, model_admin)
        for name, _, _ in self.inputs:
            if name in params:
                value = params.pop(name)[-1].strip()
                if value:
                    self.used_parameters[name] = value

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return [name for name, _, _ in self.inputs]

    def choices(self, changelist):
        ours = self.expected_parameters()
        yield {
            "inputs": [(name, label, kind, self.used_parameters.get(name, "")) for name, label, kind in self.inputs],
            "hidden": [(name, value) for name, value in changelist.params.items() if name not in ours],
            "clear_url": changelist.get_query_string(remove=ours),
            "used": bool(self.used_parameters),
        }
