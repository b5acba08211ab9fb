from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from core.admin import HistoryAdmin

from .models import ApiClient, ApiToken, Scope
from .services import issue_api_token, revoke_api_token


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = ApiClient
        fields = ["name", "contact_email", "is_active", "scopes", "local_authorities"]


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    can_delete = False
    fields = ["prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiClient)
class ApiClientAdmin(HistoryAdmin):
    form = ApiClientForm
    list_display = ["name", "is_active", "scope_list", "contact_email", "created_at"]
    list_filter = ["is_active", "local_authorities"]
    search_fields = ["name", "contact_email"]
    filter_horizontal = ["local_authorities"]
    inlines = [ApiTokenInline]
    actions = ["issue_token"]

    @admin.display(description="scopes")
    def scope_list(self, client: ApiClient) -> str:
        return ", ".join(client.scopes)

    @admin.action(description="Issue a new token (the secret is shown once)", permissions=["change"])
    def issue_token(self, request, queryset):
        issued = [(client, issue_api_token(client=client)) for client in queryset]
        # Rendered straight into this response, never stored in messages or the session.
        return TemplateResponse(
            request,
            "api/admin/token_issued.html",
            {
                **self.admin_site.each_context(request),
                "title": "API tokens issued",
                "issued": [(client, token, secret) for client, (token, secret) in issued],
                "opts": self.model._meta,
            },
        )


@admin.register(ApiToken)
class ApiTokenAdmin(HistoryAdmin):
    list_display = ["prefix", "client", "created_at", "expires_at", "revoked_at"]
    list_filter = ["client", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["client"]
    search_fields = ["prefix", "client__name"]
    readonly_fields = ["client", "prefix", "created_at", "expires_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        # Tokens are issued from the client page (or create_api_token) so the secret can be shown once.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoked, never deleted: the token row is the record of who could read the API, and until when.
        return False

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_api_token(token=token)
        self.message_user(request, f"Revoked {len(queryset)} token(s).")
