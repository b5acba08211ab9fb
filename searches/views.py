"""Accountability reports: BCU managers' pages inside the admin (SearchRecordAdmin.get_urls), and the
council readers' summary (searches/urls.py). Every figure comes suppressed from the selectors."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from access.roles import PortalRoles
from core.csv_export import csv_download
from core.suppression import SUPPRESSED
from schools.models import School

from .forms import (
    BcuScopeForm,
    FollowUpDoneForm,
    PortalSearchForm,
    ReferralForm,
    SearchMonthSummaryForm,
    SearchReportForm,
)
from .models import SearchRecord, SearchType, Section60Authorisation
from .open_data import COLUMNS as OPEN_DATA_COLUMNS
from .open_data import open_data_table, parse_month
from .publication import public_release, summary_rows
from .selectors import GROUPINGS, report_population_scope, search_statistics
from .services import close_search, record_follow_up, record_referral, record_search

# The tables every report shows, then the chosen breakdown.
STANDARD_TABLES = ["ethnic_group", "age_band", "search_type"]

# Report columns: (row key, heading), in the order of the page and the CSV.
COLUMNS = [
    ("searches", "Searches"),
    ("share_of_searches_pct", "Share of searches (%)"),
    ("rate_per_1000_pupils", "Searches per 1,000 pupils"),
    ("relative_rate_vs_white", "Relative rate against White children"),
    ("thorough_searches", "Child searches beyond outer clothing"),
    ("with_appropriate_adult", "…with an appropriate adult"),
    ("appropriate_adult_pct", "Appropriate adult present (%)"),
    ("intimate_searches", "Child searches exposing intimate parts"),
    ("referrals_made", "…with a safeguarding referral"),
    ("referral_pct", "Referral made (%)"),
    ("with_bwv", "Searches on body-worn video"),
    ("bwv_pct", "Body-worn video (%)"),
    ("follow_ups_done", "Child searches beyond outer clothing followed up"),
    ("follow_up_pct", "Trauma-informed follow-up done (%)"),
    ("reviews_done", "…reviewed by an Inspector or above"),
    ("review_pct", "Supervisor review done (%)"),
]


RATE_COLUMNS = {"rate_per_1000_pupils", "relative_rate_vs_white"}


def columns_for(group_by: str) -> list[tuple[str, str]]:
    """Rates exist only for ethnicity groupings; other tables leave those columns out."""
    if GROUPINGS[group_by].by_ethnicity:
        return COLUMNS
    return [(key, heading) for key, heading in COLUMNS if key not in RATE_COLUMNS]


def _require_bcu_manager(request: HttpRequest) -> None:
    if not request.portal_roles.is_bcu_manager:
        raise PermissionDenied


def _scope(form: BcuScopeForm) -> dict:
    return {name: form.cleaned_data.get(name) for name in ("bcu", "school", "officer")}


def _population(form: BcuScopeForm) -> list[int] | None:
    """The local authorities whose pupils are the rates' denominator: read once per page."""
    return report_population_scope(**_scope(form))


def _statistics(form: BcuScopeForm, roles: PortalRoles, group_by: str, population: list[int] | None) -> list[dict]:
    scope = _scope(form)
    return search_statistics(
        records=SearchRecord.objects.visible_to(roles).in_scope(**scope),
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
        group_by=group_by,
        # Only ethnicity tables have rates.
        population_local_authority_ids=population if GROUPINGS[group_by].by_ethnicity else None,
    )


def _for_display(rows: list[dict], columns: list[tuple[str, str]]) -> list[dict]:
    """Add ``cells`` (the figures in column order) and ``bar_pct`` (searches against the largest, for the chart)."""
    shown = [row["searches"] for row in rows[:-1] if row["searches"] != SUPPRESSED]
    largest = max(shown, default=0)
    for row in rows:
        count = row["searches"]
        row["bar_pct"] = round(count * 100 / largest) if largest and count != SUPPRESSED else 0
        row["cells"] = [row[key] for key, _ in columns]
    return rows


def _tables(form: BcuScopeForm, roles: PortalRoles, group_bys: list[str]) -> list[dict]:
    tables = []
    population = _population(form)
    for group_by in group_bys:
        columns = columns_for(group_by)
        rows = _for_display(_statistics(form, roles, group_by, population), columns)
        tables.append({"group_by": group_by, "title": GROUPINGS[group_by].label, "columns": columns, "rows": rows})
    return tables


def report(request: HttpRequest) -> TemplateResponse:
    _require_bcu_manager(request)
    form = SearchReportForm.from_query(request.GET)
    tables = []
    if form.is_valid():
        tables = _tables(form, request.portal_roles, [*STANDARD_TABLES, form.cleaned_data["breakdown"]])
    context = {
        **admin.site.each_context(request),
        "title": "Searches of children: accountability report",
        "opts": SearchRecord._meta,
        "form": form,
        "tables": tables,
        # The CSV links repeat the report's filters (defaults included), whatever the table.
        "query": urlencode({key: value for key, value in form.data.items() if key != "group_by"}),
    }
    return TemplateResponse(request, "admin/searches/searchrecord/report.html", context)


def report_csv(request: HttpRequest) -> HttpResponse:
    _require_bcu_manager(request)
    form = SearchReportForm.from_query(request.GET)
    group_by = request.GET.get("group_by", "ethnic_group")
    if not form.is_valid() or group_by not in GROUPINGS:
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        if group_by not in GROUPINGS:
            errors["group_by"] = [f"Choose one of: {', '.join(sorted(GROUPINGS))}."]
        return HttpResponseBadRequest(
            "\n".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()),
            content_type="text/plain; charset=utf-8",
        )
    rows = _statistics(form, request.portal_roles, group_by, _population(form))
    period = f"{form.cleaned_data['date_from']:%Y%m%d}-{form.cleaned_data['date_to']:%Y%m%d}"
    columns = columns_for(group_by)
    return csv_download(
        f"searches-by-{group_by}-{period}.csv",
        [GROUPINGS[group_by].label, *(heading for _, heading in columns)],
        ([row["label"], *("" if row[key] is None else row[key] for key, _ in columns)] for row in rows),
    )


def open_data_csv(request: HttpRequest) -> HttpResponse:
    _require_bcu_manager(request)
    try:
        month = parse_month(request.GET.get("month", ""))
    except ValueError as error:
        return HttpResponseBadRequest(f"month: {error}", content_type="text/plain; charset=utf-8")
    return csv_download(f"searches-open-data-{month:%Y-%m}.csv", OPEN_DATA_COLUMNS, open_data_table(month=month))


@login_required
def summary(request: HttpRequest) -> TemplateResponse:
    """Suppressed figures for council readers (and BCU managers): whole force or one BCU, never a school or officer."""
    if not request.portal_roles.sees_aggregates:
        raise PermissionDenied
    form = SearchMonthSummaryForm.from_query(request.GET)
    tables = []
    if form.is_valid():
        # Every table of the month comes from one release, suppressed together with the open data.
        release = public_release(form.cleaned_data["date_from"])
        bcu = form.cleaned_data.get("bcu")
        population = _population(form)
        for group_by in [*STANDARD_TABLES, "bcu"]:
            columns = columns_for(group_by)
            rows = summary_rows(
                release,
                group_by=group_by,
                bcu_id=bcu.pk if bcu else None,
                population_local_authority_ids=population if GROUPINGS[group_by].by_ethnicity else None,
            )
            title = GROUPINGS[group_by].label
            tables.append(
                {"group_by": group_by, "title": title, "columns": columns, "rows": _for_display(rows, columns)}
            )
    return TemplateResponse(request, "searches/summary.html", {"form": form, "tables": tables})


# The SSO's pages: recording their own searches, and following them up. The rules are the
# service's, the same as the admin form's (``searches.services``).

SEARCHES_PER_PAGE = 25


def _require_sso(request: HttpRequest) -> None:
    if not request.portal_roles.is_sso:
        raise PermissionDenied


@login_required
@require_GET
def record_choose(request: HttpRequest) -> TemplateResponse:
    _require_sso(request)
    return TemplateResponse(request, "searches/record_choose.html", {"search_types": SearchType.choices})


@sensitive_post_parameters("reason", "items_found", "appropriate_adult_name")
@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, search_type: str) -> HttpResponse:
    _require_sso(request)
    if search_type not in SearchType.values:
        raise Http404
    roles = request.portal_roles
    officer = roles.officer
    form = PortalSearchForm(
        request.POST if request.method == "POST" else None,
        officer=officer,
        search_type=search_type,
        schools=School.objects.visible_to(roles).filter(pk__in=roles.sso_school_ids).order_by("name"),
        authorisations=Section60Authorisation.objects.filter(
            bcu_id=officer.bcu_id, ends_at__gte=timezone.now() - datetime.timedelta(days=31)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            search = record_search(
                recorded_by=request.user, officer=officer, search_type=search_type, **form.cleaned_data
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                field = form.field_for_rule.get(field, field)
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(request, f"Search {search.reference} recorded.")
            return redirect("searches:my-search", search.pk)
    label = SearchType(search_type).label
    return TemplateResponse(request, "searches/record_form.html", {"form": form, "search_type_label": label})


@login_required
@require_GET
def my_searches(request: HttpRequest) -> TemplateResponse:
    _require_sso(request)
    records = SearchRecord.objects.of_officer(request.portal_roles.officer).select_related("school")
    page = Paginator(records, SEARCHES_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "searches/my_searches.html", {"page": page})


@sensitive_post_parameters("offered", "outcome")
@login_required
@require_http_methods(["GET", "POST"])
def my_search(request: HttpRequest, search_id: int) -> HttpResponse:
    _require_sso(request)
    records = SearchRecord.objects.of_officer(request.portal_roles.officer).select_related("school", "section_60")
    search = get_object_or_404(records, pk=search_id)
    action = request.POST.get("action") if request.method == "POST" else None
    follow_up = FollowUpDoneForm(request.POST if action == "follow_up" else None, prefix="follow_up")
    referral = ReferralForm(request.POST if action == "referral" else None, prefix="referral")
    close_errors: list[str] = []
    try:
        if action == "follow_up" and follow_up.is_valid():
            record_follow_up(search=search, recorded_by=request.user, **follow_up.cleaned_data)
            messages.success(request, "Follow-up recorded as done.")
            return redirect("searches:my-search", search.pk)
        if action == "referral" and referral.is_valid():
            record_referral(search=search, recorded_by=request.user, **referral.cleaned_data)
            messages.success(request, "Safeguarding referral recorded.")
            return redirect("searches:my-search", search.pk)
        if action == "close":
            close_search(search=search, closed_by=request.user)
            messages.success(request, f"Search {search.reference} closed.")
            return redirect("searches:my-search", search.pk)
    except ValidationError as error:
        search.refresh_from_db()
        names = {
            "follow_up_offered": "offered",
            "follow_up_outcome": "outcome",
            "follow_up_completed_on": "completed_on",
        }
        for field, field_messages in error.message_dict.items():
            if action == "follow_up":
                follow_up.add_error(names.get(field), field_messages)
            elif action == "referral":
                referral.add_error("referral_reference" if field == "referral_reference" else None, field_messages)
            else:
                close_errors += field_messages
    context = {"search": search, "follow_up": follow_up, "referral": referral, "close_errors": close_errors}
    return TemplateResponse(request, "searches/my_search.html", context)
