"""Invitations in the admin: administrators invite anyone, force leads officers; nobody else
(``invitations.permissions``). An invitation is never edited: it is withdrawn, and a new one sent."""

from __future__ import annotations

from django.contrib import admin

from core.admin import HistoryAdmin

from .forms import InvitationAdminForm
from .models import Invitation, InvitationKind, InvitationStatus
from .permissions import invitable_kinds
from .services import invite, withdraw_invitation

TARGET_FIELD_OF_KIND = {
    InvitationKind.DSL_CONTACT: "dsl_contact",
    InvitationKind.OFFICER: "officer",
    InvitationKind.SCHOOL_STAFF: "school",
    InvitationKind.HEAD_TEACHER: "school",
}
SHOWN_FIELDS = [
    "kind",
    "dsl_contact",
    "officer",
    "school",
    "email",
    "name",
    "status",
    "invited_by",
    "created_at",
    "expires_at",
    "accepted_at",
    "accepted_user",
    "revoked_at",
    "revoked_by",
]


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return InvitationStatus.choices

    def queryset(self, request, queryset):
        if self.value() in InvitationStatus.values:
            return queryset.with_status(self.value())
        return queryset


@admin.register(Invitation)
class InvitationAdmin(HistoryAdmin):
    form = InvitationAdminForm
    list_display = ["email", "kind", "invited_as", "status", "invited_by", "created_at", "expires_at"]
    list_filter = ["kind", StatusFilter]
    list_select_related = ["dsl_contact__school", "officer", "school", "invited_by"]
    search_fields = ["email", "name"]
    autocomplete_fields = ["dsl_contact", "officer", "school"]
    date_hierarchy = "created_at"
    actions = ["withdraw"]

    @admin.display(description="as")
    def invited_as(self, invitation: Invitation) -> str:
        return invitation.as_what

    @admin.display(description="status")
    def status(self, invitation: Invitation) -> str:
        return invitation.status().label

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.portal_roles.is_administrator:
            return queryset
        return queryset.filter(kind__in=invitable_kinds(request.portal_roles))

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and bool(invitable_kinds(request.portal_roles))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Withdrawn, never deleted: the invitation is the record of who granted access to whom.
        return False

    def has_withdraw_permission(self, request) -> bool:
        return bool(invitable_kinds(request.portal_roles))

    def get_fields(self, request, obj=None):
        if obj is not None:
            return SHOWN_FIELDS
        kinds = invitable_kinds(request.portal_roles)
        targets = [name for name in ("dsl_contact", "officer", "school") if name in _target_fields(kinds)]
        return ["kind", *targets, "email", "name"]

    def get_readonly_fields(self, request, obj=None):
        return SHOWN_FIELDS if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form = type(form.__name__, (form,), {"roles": request.portal_roles})
        if obj is None and "kind" in form.base_fields:
            kinds = set(invitable_kinds(request.portal_roles))
            kind = form.base_fields["kind"]
            kind.choices = [choice for choice in kind.choices if choice[0] == "" or choice[0] in kinds]
            if len(kinds) == 1:
                kind.initial = next(iter(kinds))
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        invitation = invite(
            roles=request.portal_roles,
            kind=data["kind"],
            email=data["email"],
            name=data.get("name", ""),
            dsl_contact=data.get("dsl_contact"),
            officer=data.get("officer"),
            school=data.get("school"),
        )
        # The admin goes on to log and redirect with ``obj``: give it the saved row.
        obj.pk = invitation.pk
        obj.refresh_from_db()

    @admin.action(description="Withdraw selected invitations (their links stop working)", permissions=["withdraw"])
    def withdraw(self, request, queryset):
        withdrawn = 0
        for invitation in queryset.pending():
            withdraw_invitation(invitation=invitation, roles=request.portal_roles)
            self.log_change(request, invitation, "Withdrawn.")
            withdrawn += 1
        self.message_user(request, f"Withdrew {withdrawn} pending invitation(s).")


def _target_fields(kinds) -> set[str]:
    return {TARGET_FIELD_OF_KIND[InvitationKind(kind)] for kind in kinds}
