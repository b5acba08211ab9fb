"""The administrators' side of MFA: who has set it up, the "Reset MFA" action on users, and the
read-only record of every reset.

django-otp's own device admins are removed: nobody, not even an administrator, reads or edits a
person's authenticator key or recovery codes. The one thing done to a person's MFA in the admin is
a reset, by a superuser, and it is recorded (``MFAReset``) and added to the user's history.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import ReadOnlyAdminMixin

from . import services
from .models import MFAReset

User = get_user_model()

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.unregister(User)


class MFASetUpFilter(admin.SimpleListFilter):
    title = "MFA set up"
    parameter_name = "mfa"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(mfa_set_up=self.value() == "yes")
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (*DjangoUserAdmin.list_display, "mfa_set_up")
    list_filter = (*DjangoUserAdmin.list_filter, MFASetUpFilter)
    actions = ["reset_mfa"]

    def get_queryset(self, request):
        confirmed_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(mfa_set_up=Exists(confirmed_app))

    @admin.display(boolean=True, description="MFA set up", ordering="mfa_set_up")
    def mfa_set_up(self, user) -> bool:
        return user.mfa_set_up

    def has_reset_mfa_permission(self, request) -> bool:
        # Administrators only: a BCU manager, or any staff given rights on users, never resets MFA.
        return request.user.is_active and request.user.is_superuser

    @admin.action(permissions=["reset_mfa"], description="Reset MFA of the selected users")
    def reset_mfa(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Reset MFA?",
                "opts": self.model._meta,
                "users": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/mfa/reset_mfa_confirmation.html", context)
        for user in queryset:
            reset = services.reset_mfa(user=user, reset_by=request.user, via=MFAReset.Via.ADMIN)
            self.log_change(request, user, f"Reset MFA ({reset.devices_removed} devices removed).")
        count = len(queryset)
        self.message_user(
            request,
            f"MFA reset for {count} user{'s' if count != 1 else ''}. "
            "They set up an authenticator app again when they next sign in.",
            messages.SUCCESS,
        )
        return None


@admin.register(MFAReset)
class MFAResetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reset_at", "username", "reset_by_username", "via", "devices_removed")
    fields = list_display
    list_filter = ("via", "reset_at")
    search_fields = ("username", "reset_by_username")
    date_hierarchy = "reset_at"
    # Usernames are copied onto the record: the list joins nothing.
    list_select_related = False
