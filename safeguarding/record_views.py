"""The school's safeguarding record in the portal: staff reports and the DSL's triage, pupils and
their chronology, tasks and body maps. Reads start from ``visible_to`` (through the selectors);
writes are ``safeguarding.services``'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.decorators import role_required
from safeguarding import selectors, services
from safeguarding.bodymap import OUTLINE, region_label
from safeguarding.chronology import chronology_categories, pupil_chronology
from safeguarding.forms import (
    AcceptReportForm,
    BodyMarkForm,
    CloseReportForm,
    LinkReportForm,
    PupilSearchForm,
    StaffReportForm,
    TaskForm,
)
from safeguarding.models import Concern, Pupil, StaffReport, Task
from safeguarding.permissions import can_complete_task, can_mark_body_map
from safeguarding.views import _add_service_errors, dsl_required
from schools.models import School

PER_PAGE = 25

school_member_required = role_required(lambda roles: roles.is_school_staff or roles.is_dsl)


def _staff_navigation(request: HttpRequest) -> bool:
    """Whether the page's menu is a member of staff's (their reports and tasks) rather than a DSL's."""
    return not request.portal_roles.is_dsl


def _page(request: HttpRequest, items):
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# Staff reports.


def _reporting_schools(request: HttpRequest):
    roles = request.portal_roles
    return School.objects.filter(pk__in=roles.staff_school_ids | roles.dsl_school_ids).order_by("name")


@require_GET
@school_member_required
def staff_reports(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, selectors.my_staff_reports(roles=request.portal_roles))
    open_tasks = selectors.my_tasks(roles=request.portal_roles).count()
    context = {"page": page, "query": query, "open_tasks": open_tasks, "staff_navigation": _staff_navigation(request)}
    return render(request, "safeguarding/staff_reports.html", context)


@sensitive_post_parameters("pupil_reference", "what_happened", "location")
@require_http_methods(["GET", "POST"])
@school_member_required
def staff_report_create(request: HttpRequest) -> HttpResponse:
    schools = _reporting_schools(request)
    form = StaffReportForm(request.POST if request.method == "POST" else None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_to_dsl(roles=request.portal_roles, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Thank you. Report {report.pk} has been sent to your DSL.")
            return redirect("safeguarding:staff-reports")
    return render(
        request,
        "safeguarding/staff_report_form.html",
        {"form": form, "staff_navigation": _staff_navigation(request)},
    )


# The DSL's triage.


@require_GET
@dsl_required
def triage_list(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, selectors.triage_list(roles=request.portal_roles))
    return render(request, "safeguarding/triage_list.html", {"page": page, "query": query})


def _triage_report(request: HttpRequest, report_id: int) -> StaffReport:
    return get_object_or_404(
        StaffReport.objects.filter(school_id__in=request.portal_roles.dsl_school_ids).select_related(
            "school", "reported_by", "pupil", "concern"
        ),
        pk=report_id,
    )


def _pupil_concerns(report: StaffReport):
    return Concern.objects.filter(school_id=report.school_id, pupil_id=report.pupil_id).order_by("-created_at")


def _triage_page(request, report_id, *, accept_form=None, link_form=None, close_form=None, status=200):
    report = _triage_report(request, report_id)
    services.record_staff_report_view(report=report, user=request.user)
    concerns = _pupil_concerns(report)
    context = {
        "report": report,
        "accept_form": accept_form or AcceptReportForm(initial={"description": report.what_happened}),
        "link_form": link_form or LinkReportForm(concerns=concerns),
        "close_form": close_form or CloseReportForm(),
        "has_concerns": concerns.exists(),
    }
    return render(request, "safeguarding/triage_report.html", context, status=status)


@require_GET
@dsl_required
def triage_report(request: HttpRequest, report_id: int) -> HttpResponse:
    return _triage_page(request, report_id)


def _triage_write(request, report_id, form, write, success: str, **page_forms) -> HttpResponse:
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, success)
            if isinstance(result, Concern):
                return redirect("safeguarding:concern-detail", result.pk)
            return redirect("safeguarding:triage")
    return _triage_page(request, report_id, **page_forms)


@sensitive_post_parameters("accept-description")
@require_POST
@dsl_required
def triage_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _triage_report(request, report_id)
    form = AcceptReportForm(request.POST)
    return _triage_write(
        request,
        report_id,
        form,
        lambda data: services.accept_staff_report(roles=request.portal_roles, report=report, **data),
        f"Staff report {report.pk} accepted as a new concern.",
        accept_form=form,
    )


@require_POST
@dsl_required
def triage_link(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _triage_report(request, report_id)
    form = LinkReportForm(request.POST, concerns=_pupil_concerns(report))
    return _triage_write(
        request,
        report_id,
        form,
        lambda data: services.link_staff_report(roles=request.portal_roles, report=report, concern=data["concern"]),
        f"Staff report {report.pk} added to the concern's chronology.",
        link_form=form,
    )


@sensitive_post_parameters("close-reason")
@require_POST
@dsl_required
def triage_close(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _triage_report(request, report_id)
    form = CloseReportForm(request.POST)
    return _triage_write(
        request,
        report_id,
        form,
        lambda data: services.close_staff_report(roles=request.portal_roles, report=report, reason=data["reason"]),
        f"Staff report {report.pk} closed with no further action.",
        close_form=form,
    )


# Pupils and their chronology.


@require_GET
@dsl_required
def pupil_list(request: HttpRequest) -> HttpResponse:
    form = PupilSearchForm(request.GET or None)
    reference = form.cleaned_data["reference"] if form.is_valid() else ""
    pupils = selectors.pupil_list(roles=request.portal_roles, reference=reference) if not form.errors else []
    page, query = _page(request, pupils)
    return render(request, "safeguarding/pupil_list.html", {"form": form, "page": page, "query": query})


def _visible_pupil(request: HttpRequest, pupil_id: int) -> Pupil:
    return get_object_or_404(Pupil.objects.visible_to(request.portal_roles).select_related("school"), pk=pupil_id)


@require_GET
@dsl_required
def pupil_detail(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _visible_pupil(request, pupil_id)
    categories = chronology_categories()
    category = request.GET.get("category") or None
    if category not in {source.category for source in categories}:
        category = None
    entries = pupil_chronology(pupil, request.portal_roles, category=category)
    context = {
        "pupil": pupil,
        "entries": entries,
        "categories": categories,
        "category": category,
        "open_tasks": Task.objects.visible_to(request.portal_roles).filter(pupil=pupil).open().count(),
    }
    return render(request, "safeguarding/pupil_detail.html", context)


# Tasks.


def _task_subject(request: HttpRequest, pupil: Pupil, about: str) -> dict:
    """What the task is about: an entry of the pupil's chronology the DSL can see (by its key), or
    the pupil generally. A key the DSL cannot see is a 404."""
    if not about:
        return {"about": "", "about_title": "", "concern": None, "staff_report": None}
    entry = next((entry for entry in pupil_chronology(pupil, request.portal_roles) if entry.key == about), None)
    if entry is None:
        raise Http404
    kind, _, number = about.partition(":")
    concern = staff_report = None
    if kind == "concern":
        concern = Concern.objects.get(pk=int(number))
    elif kind == "action":
        concern = Concern.objects.get(actions__pk=int(number))
    elif kind == "report":
        staff_report = StaffReport.objects.get(pk=int(number))
        concern = staff_report.concern
    return {"about": about, "about_title": entry.title, "concern": concern, "staff_report": staff_report}


@sensitive_post_parameters("description")
@require_http_methods(["GET", "POST"])
@dsl_required
def task_create(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _visible_pupil(request, pupil_id)
    about = request.GET.get("about", "")
    subject = _task_subject(request, pupil, about)
    form = TaskForm(
        request.POST if request.method == "POST" else None,
        assignees=selectors.task_assignees(school_id=pupil.school_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_task(roles=request.portal_roles, pupil=pupil, **form.cleaned_data, **subject)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Task created. It is in the pupil's chronology and the person's tasks.")
            return redirect("safeguarding:pupil-detail", pupil.pk)
    return render(request, "safeguarding/task_form.html", {"form": form, "pupil": pupil, "subject": subject})


@require_GET
@school_member_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, selectors.my_tasks(roles=request.portal_roles))
    context = {"page": page, "query": query, "today": timezone.localdate()}
    return render(request, "safeguarding/my_tasks.html", context | {"staff_navigation": _staff_navigation(request)})


@require_POST
@school_member_required
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.visible_to(request.portal_roles), pk=task_id)
    if not can_complete_task(request.portal_roles, task):
        raise PermissionDenied
    services.complete_task(roles=request.portal_roles, task=task)
    messages.success(request, "Task marked as done.")
    return redirect("safeguarding:my-tasks")


# Body map.


@sensitive_post_parameters("mark-note")
@require_http_methods(["GET", "POST"])
@school_member_required
def body_map(request: HttpRequest, concern_id: int) -> HttpResponse:
    try:
        concern = selectors.staff_concern_for_marking(roles=request.portal_roles, concern_id=concern_id)
    except Concern.DoesNotExist as missing:
        raise Http404 from missing
    if not can_mark_body_map(request.portal_roles, concern):
        raise Http404
    form = BodyMarkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_body_mark(roles=request.portal_roles, concern=concern, **form.mark())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Mark added to the body map.")
            return redirect("safeguarding:body-map", concern.pk)
    marks = list(selectors.body_marks(roles=request.portal_roles, concern=concern))
    for number, mark in enumerate(marks, start=1):
        mark.number = number
        mark.region_label = region_label(mark.view, mark.region)
    context = {
        "concern": concern,
        "form": form,
        "marks": marks,
        "views": [
            {
                "key": view,
                "label": view.capitalize(),
                "regions": regions,
                "marks": [m for m in marks if m.view == view],
            }
            for view, regions in OUTLINE.items()
        ],
        "is_dsl": concern.school_id in request.portal_roles.dsl_school_ids,
        "staff_navigation": _staff_navigation(request),
    }
    return render(request, "safeguarding/body_map.html", context)
