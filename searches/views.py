"""Accountability reports: BCU managers' pages inside the admin (SearchRecordAdmin.get_urls), and the
council readers' summary (searches/urls.py). Every figure comes suppressed from the selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse

from access.roles import PortalRoles
from core.csv_export import csv_download
from core.suppression import SUPPRESSED

from .forms import BcuScopeForm, SearchMonthSummaryForm, SearchReportForm
from .models import SearchRecord
from .open_data import COLUMNS as OPEN_DATA_COLUMNS
from .open_data import open_data_table, parse_month
from .selectors import GROUPINGS, report_population_scope, search_statistics

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
    tables = _tables(form, request.portal_roles, [*STANDARD_TABLES, "bcu"]) if form.is_valid() else []
    return TemplateResponse(request, "searches/summary.html", {"form": form, "tables": tables})
