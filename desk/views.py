"""The BCU manager's start page (the deployment desk), in the admin's frame."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from priorities.admin import current_sso_name, map_context

from . import selectors
from .selectors import MINE, Scope

ALL_SECTIONS = "all"


def _admin_home(request):
    """The admin's index: a BCU manager lands on their start page instead, unless they ask for
    every section (``?sections=all``, linked from the start page)."""
    if request.portal_roles.is_bcu_manager and request.GET.get("sections") != ALL_SECTIONS:
        return redirect("desk:start")
    return admin.site.index(request)


def _link(url_name: str, scope: Scope, path: str | None, **params) -> str:
    """The admin list behind a figure, filtered to the scope's BCUs (``path``: their lookup)."""
    query = dict(params)
    if path is not None and scope.bcu_ids is not None:
        query[f"{path}__in"] = ",".join(str(pk) for pk in scope.bcu_ids)
    url = reverse(url_name)
    return f"{url}?{urlencode(query)}" if query else url


def _start(request):
    roles = request.portal_roles
    if not roles.is_bcu_manager:
        raise PermissionDenied
    choice = request.GET.get("bcu", MINE).strip()
    scope = selectors.desk_scope(roles=roles, choice=choice)
    context = {**admin.site.each_context(request), "title": "Your deployment desk"}
    if scope is None:
        # A BCU that does not exist: say so against the switch, and show nothing else.
        context |= {"bcu_error": "Choose a BCU from the list.", "all_bcus": selectors.all_bcus()}
        return TemplateResponse(request, "admin/desk/start.html", context, status=400)
    on = timezone.localdate()
    map_rows = selectors.map_rows(scope=scope)
    for score in map_rows:
        score.sso_name = current_sso_name(score)
    single_bcu = scope.bcus[0].pk if len(scope.bcus) == 1 else ""
    context |= {
        "scope": scope,
        "all_bcus": scope.all_bcus,
        "on": on,
        "bands": selectors.schools_by_band(scope=scope, on=on),
        "vacant_high": selectors.vacant_high_band(scope=scope, on=on),
        "eligibility": selectors.officers_by_eligibility(scope=scope, on=on),
        "workload": selectors.workload(scope=scope, on=on),
        "charts": {
            "cover_per_bcu": selectors.cover_per_bcu(scope=scope, on=on),
            "cover_by_month": selectors.cover_by_month(scope=scope, on=on),
            "training_by_course": selectors.training_by_course(scope=scope, on=on),
        },
        "map_rows": map_rows,
        "links": {
            "priority_list": _link("admin:priorities_priorityscore_changelist", scope, "bcu__id"),
            "vacancies": reverse("admin:officers_officer_vacancies") + (f"?bcu={single_bcu}" if single_bcu else ""),
            "officers": _link("admin:officers_officer_changelist", scope, "bcu__id"),
            "training": _link("admin:officers_trainingrecord_changelist", scope, "officer__bcu__id", expiring="30"),
            "review": _link("admin:officers_posting_changelist", scope, "officer__bcu__id", review="due"),
            "searches": _link("admin:searches_searchrecord_changelist", scope, "bcu__id", referral="due"),
            "concerns": reverse("safeguarding:statistics"),
            "post": reverse("admin:officers_posting_add"),
            "all_sections": reverse("admin:index") + f"?sections={ALL_SECTIONS}",
        },
        **map_context(_link("admin:priorities_priorityscore_map", scope, "bcu__id")),
    }
    return TemplateResponse(request, "admin/desk/start.html", context)


admin_home = admin.site.admin_view(_admin_home)
start = admin.site.admin_view(_start)
