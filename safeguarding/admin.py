"""Read-only admin for authorised staff: the audit trail, and concerns with their change history.

Nobody edits concerns here; the DSL portal is the only place they change, through the services.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin
from safeguarding.models import Concern, ConcernAction, ConcernAuditEntry


@admin.register(ConcernAuditEntry)
class ConcernAuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "event", "concern_id", "user", "fields"]
    list_filter = ["event", "at"]
    search_fields = ["=concern__id", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    fields = ["at", "event", "concern", "user", "fields"]
    raw_id_fields = ["concern", "user"]


class ConcernActionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConcernAction
    fields = ["taken_on", "summary", "recorded_by", "recorded_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["id", "school", "category", "severity", "status", "shared_with_police", "created_at"]
    list_filter = ["status", "category", "severity", "shared_with_police", "created_at"]
    search_fields = ["=id", "school__name", "school__urn"]
    list_select_related = ["school"]
    raw_id_fields = ["school", "logged_by", "shared_by"]
    inlines = [ConcernActionInline]
