"""Read-only admin for authorised staff: the access log of concerns, its exports, and concerns with
their change history.

Nobody edits concerns here; the DSL portal is the only place they change, through the services.
Every page here that shows a concern's contents records the read in the access log, as the
portal does.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import IS_POPUP_VAR, ORDER_VAR, TO_FIELD_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone

from core.admin import HistoryAdmin, InputFilter, ReadOnlyAdminMixin
from core.csv_export import csv_download
from safeguarding import selectors, services
from safeguarding.models import AccessLogExport, AuditChannel, Concern, ConcernAction, ConcernAuditEntry

EXPORT_PERMISSION = "safeguarding.export_concernauditentry"


class SchoolFilter(InputFilter):
    title = "school"
    inputs = (("school_urn", "School URN", "text"),)

    def queryset(self, request, queryset):
        urn = self.used_parameters.get("school_urn")
        return queryset if urn is None else queryset.filter(concern__school__urn=urn)


class DateRangeFilter(InputFilter):
    title = "date (Europe/London)"
    inputs = (("date_from", "From", "date"), ("date_to", "To", "date"))

    def queryset(self, request, queryset):
        try:
            dates = {name: datetime.date.fromisoformat(value) for name, value in self.used_parameters.items()}
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        if "date_from" in dates:
            queryset = queryset.filter(at__date__gte=dates["date_from"])
        if "date_to" in dates:
            queryset = queryset.filter(at__date__lte=dates["date_to"])
        return queryset


@admin.register(ConcernAuditEntry)
class ConcernAuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The access log of concerns: who read or changed which concern, where and when, never contents.

    Safeguarding auditors read it; the data protection officer reads and exports it, and each
    export is recorded (``AccessLogExport``).
    """

    change_list_template = "admin/safeguarding/concernauditentry/change_list.html"
    list_display = ["at", "event", "channel", "concern_number", "school", "user", "fields"]
    list_filter = [SchoolFilter, DateRangeFilter, "event", "channel"]
    search_fields = ["=concern__id", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    # The unfiltered total would count the whole log again on every page.
    show_full_result_count = False
    fields = ["at", "event", "channel", "concern", "user", "fields"]
    raw_id_fields = ["concern", "user"]

    def get_queryset(self, request):
        # The school's name only: the concern's row, and so its contents, is never loaded.
        return super().get_queryset(request).annotate(school_name=F("concern__school__name"))

    @admin.display(description="concern", ordering="concern_id")
    def concern_number(self, entry: ConcernAuditEntry) -> int:
        return entry.concern_id

    @admin.display(description="school", ordering="school_name")
    def school(self, entry: ConcernAuditEntry) -> str:
        return entry.school_name

    def get_urls(self):
        export = path(
            "export.csv", self.admin_site.admin_view(self.export_csv), name="safeguarding_concernauditentry_export"
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": request.user.has_perm(EXPORT_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def export_csv(self, request: HttpRequest) -> HttpResponse:
        """The log as filtered on screen, every row (not one page), as CSV; the export is recorded first."""
        if not (self.has_view_permission(request) and request.user.has_perm(EXPORT_PERMISSION)):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect(reverse("admin:safeguarding_concernauditentry_changelist") + "?e=1")
        # Entries written while the file is sent are left for the next export.
        entries = changelist.queryset.filter(at__lte=timezone.now())
        ignored = {ORDER_VAR, IS_POPUP_VAR, TO_FIELD_VAR, "_facets"}
        filters = urlencode(sorted((k, v) for k, v in changelist.params.items() if k not in ignored))
        services.record_access_log_export(user=request.user, filters=filters, rows=entries.count())
        filename = f"concern-access-log-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_download(filename, selectors.ACCESS_LOG_CSV_HEADER, selectors.access_log_csv_rows(entries))


@admin.register(AccessLogExport)
class AccessLogExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who exported the access log, with which filters, and when."""

    list_display = ["at", "user", "filters", "rows"]
    list_filter = ["at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["at", "user", "filters", "rows"]


class ConcernActionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConcernAction
    fields = ["taken_on", "summary", "recorded_by", "recorded_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    # The list shows no contents (no pupil reference, no description), so reading it is not logged.
    list_display = ["id", "school", "category", "severity", "status", "shared_with_police", "created_at"]
    list_filter = ["status", "category", "severity", "shared_with_police", "created_at"]
    search_fields = ["=id", "school__name", "school__urn"]
    list_select_related = ["school"]
    raw_id_fields = ["school", "logged_by", "shared_by"]
    inlines = [ConcernActionInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        services.record_concern_access(concern=obj, user=request.user, channel=AuditChannel.ADMIN)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def render_history_view(self, request, template, context, **kwargs):
        # Both history pages show contents: the changes (old and new values), and one version in full.
        concern = context.get("original") or context["object"]
        services.record_concern_access(concern=concern, user=request.user, channel=AuditChannel.ADMIN)
        return super().render_history_view(request, template, context, **kwargs)
