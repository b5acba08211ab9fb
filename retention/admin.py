"""The data protection officer's admin pages: retention rules, records listed for erasure (confirm,
hold, release), tombstones, the log of subject access exports, and an officer's data export.

Lists name records by type, id and dates only, never their contents. Rights come from the groups
(``retention.roles``); BCU managers have none here.
"""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.dateformat import format as date_format

from core.admin import HistoryAdmin, ReadOnlyAdminMixin
from retention import selectors, services
from retention.exports import export_officer
from retention.forms import HoldForm, OfficerExportForm
from retention.models import (
    COUNTS_FROM_BY_TYPE,
    CandidateStatus,
    CountsFrom,
    ErasureCandidate,
    ErasureTombstone,
    OfficerDataExport,
    RetentionRule,
    SubjectAccessExport,
    describe_period,
)
from retention.roles import may_export_officer_data, may_review_erasures
from retention.views import zip_response


def _records(count: int) -> str:
    return f"{count} record{'' if count == 1 else 's'}"


def _when(value: str | None) -> str:
    return date_format(datetime.date.fromisoformat(value), "j M Y") if value else "none"


@admin.register(RetentionRule)
class RetentionRuleAdmin(HistoryAdmin):
    list_display = ["record_type", "period", "counts_from", "updated_at"]
    list_filter = ["counts_from"]
    search_fields = ["record_type", "basis"]
    list_select_related = []
    fields = ["record_type", "period_years", "period_months", "counts_from", "basis", "updated_at"]
    readonly_fields = ["record_type", "updated_at"]

    @admin.display(description="retention period")
    def period(self, rule: RetentionRule) -> str:
        return describe_period(rule.period_years, rule.period_months)

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # one rule per record type, seeded by a migration

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "counts_from" in form.base_fields:
            allowed = COUNTS_FROM_BY_TYPE.get(obj.record_type, ())
            form.base_fields["counts_from"].choices = [(value, CountsFrom(value).label) for value in allowed]
        return form


@admin.register(ErasureCandidate)
class ErasureCandidateAdmin(HistoryAdmin):
    change_list_template = "admin/retention/erasurecandidate/change_list.html"
    list_display = ["record_type", "object_id", "anchor_date", "due_on", "status", "decided_by"]
    list_filter = ["record_type", "status", "due_on"]
    search_fields = ["=object_id"]
    list_select_related = ["decided_by"]
    fields = [
        "record_type",
        "object_id",
        "counts_from",
        "anchor_date",
        "due_on",
        "listed_on",
        "status",
        "hold_reason",
        "decided_by",
        "decided_at",
    ]
    actions = ["confirm_erasure", "hold", "release_hold"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # listed by the nightly job only

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # decided through the actions, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # erasure is confirmed, never a plain delete

    def has_review_permission(self, request) -> bool:
        return may_review_erasures(request.user)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "candidate_counts": selectors.candidate_counts()}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        def confirm(request, *args, **kwargs):
            return self.confirm_view(request)

        wrap = self.admin_site.admin_view
        return [
            # One transaction per record (services.confirm_erasures), not one for the whole request.
            path(
                "confirm/",
                wrap(transaction.non_atomic_requests(confirm)),
                name="retention_erasurecandidate_confirm",
            ),
            path("hold/", wrap(self.hold_view), name="retention_erasurecandidate_hold"),
            *super().get_urls(),
        ]

    def _page(self, request, template: str, title: str, context: dict, status: int = 200) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **context},
            status=status,
        )

    def _chosen(self, candidates) -> dict:
        chosen = list(candidates.order_by("record_type", "object_id"))
        return {
            "pending": [c for c in chosen if c.status == CandidateStatus.PENDING],
            "held": [c for c in chosen if c.status == CandidateStatus.HELD],
            "chosen_count": len(chosen),
        }

    @admin.action(description="Confirm erasure of the selected records", permissions=["review"])
    def confirm_erasure(self, request, queryset):
        return self._page(
            request,
            "admin/retention/erasurecandidate/confirm_erasure.html",
            "Confirm erasure",
            self._chosen(queryset),
        )

    @admin.action(description="Hold the selected records (keep them past their period)", permissions=["review"])
    def hold(self, request, queryset):
        context = {"form": HoldForm(), **self._chosen(queryset)}
        return self._page(request, "admin/retention/erasurecandidate/hold.html", "Hold records", context)

    @admin.action(description="Release the hold on the selected records", permissions=["review"])
    def release_hold(self, request, queryset):
        released = services.release_holds(candidate_ids=queryset.values_list("pk", flat=True), by=request.user)
        self.message_user(request, f"{_records(released)} put back for review.", messages.SUCCESS)

    def _posted_ids(self, request) -> list[int]:
        return [int(value) for value in request.POST.getlist("candidate") if value.isdigit()]

    def confirm_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not may_review_erasures(request.user):
            raise PermissionDenied
        confirmation = services.confirm_erasures(candidate_ids=self._posted_ids(request), by=request.user)
        if confirmation.erased:
            self.message_user(
                request, f"{_records(len(confirmation.erased))} erased. A tombstone of each is kept.", messages.SUCCESS
            )
        if confirmation.skipped:
            reasons = ", ".join(f"{cid} ({why})" for cid, why in sorted(confirmation.skipped.items()))
            self.message_user(request, f"Not erased: candidate {reasons}.", messages.WARNING)
        return redirect("admin:retention_erasurecandidate_changelist")

    def hold_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not may_review_erasures(request.user):
            raise PermissionDenied
        ids = self._posted_ids(request)
        form = HoldForm(request.POST)
        if not form.is_valid():
            context = {"form": form, **self._chosen(ErasureCandidate.objects.filter(pk__in=ids))}
            return self._page(request, "admin/retention/erasurecandidate/hold.html", "Hold records", context)
        held = services.hold_candidates(candidate_ids=ids, by=request.user, reason=form.cleaned_data["reason"])
        self.message_user(request, f"{_records(held)} held.", messages.SUCCESS)
        return redirect("admin:retention_erasurecandidate_changelist")


@admin.register(ErasureTombstone)
class ErasureTombstoneAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["record_type", "original_id", "anchor_date", "due_on", "confirmed_at", "confirmed_by"]
    list_filter = ["record_type", "confirmed_at"]
    search_fields = ["=original_id"]
    list_select_related = ["confirmed_by"]
    date_hierarchy = "confirmed_at"
    fields = [
        "record_type",
        "original_id",
        "rule_applied",
        "anchor_date",
        "due_on",
        "dates",
        "rows_erased",
        "confirmed_by",
        "confirmed_at",
    ]
    readonly_fields = ["dates", "rows_erased"]

    @admin.display(description="key dates")
    def dates(self, tombstone: ErasureTombstone) -> str:
        # In date order: PostgreSQL's jsonb keeps no key order.
        dates = sorted(tombstone.key_dates.items(), key=lambda item: (item[1] is None, item[1] or ""))
        return "; ".join(f"{what} {_when(day)}" for what, day in dates) or "none"

    @admin.display(description="rows erased with it")
    def rows_erased(self, tombstone: ErasureTombstone) -> str:
        return "; ".join(f"{what}: {count}" for what, count in sorted(tombstone.erased_rows.items())) or "none"


@admin.register(SubjectAccessExport)
class SubjectAccessExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["exported_at", "kind", "subject", "exported_by"]
    list_filter = ["kind", "exported_at"]
    search_fields = ["=pupil_reference", "officer__collar_number", "school__urn", "exported_by__username"]
    list_select_related = ["school", "officer", "exported_by"]
    date_hierarchy = "exported_at"
    fields = ["kind", "school", "pupil_reference", "officer", "exported_by", "exported_at", "contents"]

    @admin.display(description="subject")
    def subject(self, export: SubjectAccessExport) -> str:
        if export.officer_id:
            return f"Officer {export.officer.collar_number}"
        return f"Pupil {export.pupil_reference} at {export.school}"


@admin.register(OfficerDataExport)
class OfficerDataExportAdmin(admin.ModelAdmin):
    """One page, no list: the form that exports an officer's data (force leads and data protection officers)."""

    def has_module_permission(self, request) -> bool:
        return may_export_officer_data(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return may_export_officer_data(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        # The admin index links to the "changelist": here, the export form.
        return [
            path("", self.admin_site.admin_view(self.export_view), name="retention_officerdataexport_changelist"),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not may_export_officer_data(request.user):
            raise PermissionDenied
        posted = request.method == "POST"
        form = OfficerExportForm(request.POST if posted else None)
        if posted and form.is_valid():
            return zip_response(export_officer(user=request.user, officer=form.officer))
        context = {
            **self.admin_site.each_context(request),
            "title": "Export an officer's data",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/retention/officer_export.html", context)
