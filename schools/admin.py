from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyAdminMixin

from .models import DSLContact, LocalAuthority, School, SchoolStaff, Ward
from .services import end_school_staff, remove_dsl_contact_login

# Portal logins are linked only by accepting an invitation (invitations/), so ``user`` is read-only
# on every form here, for administrators too; an administrator removes one with an action.


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "dfe_code"]
    search_fields = ["name", "gss_code", "dfe_code"]
    filter_horizontal = ["council_readers"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "local_authority"]
    list_filter = ["local_authority"]
    list_select_related = ["local_authority"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["local_authority"]


class DSLContactInline(admin.TabularInline):
    model = DSLContact
    extra = 0
    fields = ["name", "role", "email", "phone", "last_confirmed_on", "is_current", "user"]
    readonly_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(School)
class SchoolAdmin(HistoryAdmin):
    list_display = [
        "name",
        "urn",
        "phase",
        "status",
        "local_authority",
        "ward",
        "bcu",
        "pupil_count",
        "fsm_percentage",
    ]
    list_filter = ["phase", "status", "bcu", "local_authority"]
    list_select_related = ["local_authority", "ward__local_authority", "bcu"]
    search_fields = ["name", "urn", "postcode", "lsoa_code"]
    autocomplete_fields = ["local_authority", "ward", "bcu"]
    # The priorities app adds the latest priority score (priorities/admin.py).
    inlines = [DSLContactInline]
    fieldsets = [
        (None, {"fields": ["urn", "name", "status", "phase", "establishment_type"]}),
        ("Location", {"fields": ["local_authority", "ward", "bcu", "lsoa_code", "postcode", "easting", "northing"]}),
        (
            "Pupils",
            {"fields": ["statutory_low_age", "statutory_high_age", "pupil_count", "fsm_count", "fsm_percentage"]},
        ),
    ]


@admin.register(DSLContact)
class DSLContactAdmin(HistoryAdmin):
    list_display = ["name", "role", "school", "email", "phone", "last_confirmed_on", "is_current", "user"]
    list_filter = ["role", "is_current", ("user", admin.EmptyFieldListFilter), "school__local_authority"]
    list_select_related = ["school", "user"]
    search_fields = ["name", "email", "school__name", "school__urn"]
    autocomplete_fields = ["school"]
    readonly_fields = ["user"]
    actions = ["remove_portal_login"]

    def has_remove_login_permission(self, request) -> bool:
        return request.portal_roles.is_administrator

    @admin.action(description="Remove portal login (revoke access)", permissions=["remove_login"])
    def remove_portal_login(self, request, queryset):
        contacts = list(queryset.exclude(user=None).select_related("user"))
        for contact in contacts:
            username = contact.user.get_username()
            remove_dsl_contact_login(contact=contact, by=request.user, reason=f"Portal login {username} removed")
            self.log_change(request, contact, f"Removed portal login {username}.")
        self.message_user(request, f"Removed the portal login of {len(contacts)} DSL contact(s).")


@admin.register(SchoolStaff)
class SchoolStaffAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Memberships are made by accepting an invitation; an administrator ends one (revoking access)."""

    list_display = ["user", "school", "role", "is_current", "created_at"]
    list_filter = ["role", "is_current", "school__local_authority"]
    list_select_related = ["user", "school"]
    search_fields = ["user__username", "user__email", "school__name", "school__urn"]
    readonly_fields = ["school", "user", "role", "is_current", "created_at"]
    actions = ["end_membership"]

    def has_end_membership_permission(self, request) -> bool:
        return request.portal_roles.is_administrator

    @admin.action(description="End membership (revoke access)", permissions=["end_membership"])
    def end_membership(self, request, queryset):
        memberships = list(queryset.filter(is_current=True).select_related("user"))
        for membership in memberships:
            end_school_staff(membership=membership, by=request.user, reason="Membership ended")
            self.log_change(request, membership, "Ended the membership.")
        self.message_user(request, f"Ended {len(memberships)} membership(s).")
