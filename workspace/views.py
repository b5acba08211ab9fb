"""The SSO's workspace pages (phone first) and the DSL's touchdown point page. Each read starts
from ``visible_to`` (through the selectors); every write is a ``workspace.services`` call."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.models import Concern
from safeguarding.services import pass_concern_to_dsl
from schools.models import School, Ward
from searches.forms import SearchMonthSummaryForm

from . import selectors, services
from .forms import ActivityForm, PassConcernForm, ReferralOutcomeForm, TouchdownPointForm, YouthServiceForm
from .models import Activity, ActivityCategory, ActivityDetails, YouthService

ACTIVITIES_PER_PAGE = 25


def sso_required(view):
    """A serving officer with a current posting; anyone else signed in gets 403."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.portal_roles.is_sso:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


@require_GET
@sso_required
def my_schools(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    today = timezone.localdate()
    postings = selectors.my_postings(roles=roles, on=today)
    progress = selectors.posting_objectives(postings=postings, on=today)
    for posting in postings:
        posting.progress = progress[posting.pk]
    week = list(selectors.my_activities(roles=roles).between(selectors.week_start(today), today))
    context = {
        "postings": postings,
        "today": today,
        "today_activities": [activity for activity in week if activity.occurred_on == today],
        "earlier_this_week": [activity for activity in week if activity.occurred_on != today],
        "categories": ActivityCategory.objects.active(),
    }
    return render(request, "workspace/my_schools.html", context)


@require_GET
@sso_required
def activity_choose(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/activity_choose.html", {"categories": ActivityCategory.objects.active()})


@sensitive_post_parameters("pupil_reference", "notes", "young_people_said")
@require_http_methods(["GET", "POST"])
@sso_required
def activity_create(request: HttpRequest, category_id: int) -> HttpResponse:
    roles = request.portal_roles
    category = get_object_or_404(ActivityCategory.objects.active(), pk=category_id)
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        category=category,
        schools=School.objects.visible_to(roles).filter(pk__in=roles.sso_school_ids).order_by("name"),
        youth_services=YouthService.objects.visible_to(roles).select_related("ward"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            activity = services.log_activity(
                roles=roles,
                school=data.pop("school"),
                category=category,
                occurred_on=data.pop("occurred_on"),
                notes=data.pop("notes"),
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{category.name} at {activity.school.name} logged.")
            return redirect("workspace:my-schools")
    return render(request, "workspace/activity_form.html", {"form": form, "category": category})


@require_GET
@sso_required
def activity_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_activities(roles=request.portal_roles), ACTIVITIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "workspace/activity_list.html", {"page": page})


@sensitive_post_parameters("referral_outcome")
@require_http_methods(["GET", "POST"])
@sso_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    roles = request.portal_roles
    activity = get_object_or_404(selectors.my_activities(roles=roles), pk=activity_id)
    is_referral = activity.category.details == ActivityDetails.DIVERSION
    form = None
    if is_referral:
        form = ReferralOutcomeForm(
            request.POST if request.method == "POST" else None,
            initial={"referral_outcome": activity.referral_outcome},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_referral_outcome(
                    roles=roles, activity=activity, outcome=form.cleaned_data["referral_outcome"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Outcome of the referral recorded.")
                return redirect("workspace:activity-detail", activity.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "workspace/activity_detail.html", {"activity": activity, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def touchdown_point(request: HttpRequest, school_id: int) -> HttpResponse:
    """The DSL's page for their school's touchdown point (BCU managers use the admin)."""
    roles = request.portal_roles
    school = get_object_or_404(School.objects.filter(pk__in=roles.dsl_school_ids), pk=school_id)
    point = getattr(school, "touchdown_point", None)
    form = TouchdownPointForm(request.POST if request.method == "POST" else None, instance=point)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_touchdown_point(roles=roles, school=school, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Touchdown point at {school.name} saved.")
            return redirect("safeguarding:dashboard")
    return render(request, "workspace/touchdown_point.html", {"form": form, "school": school})


def _my_wards(roles):
    return Ward.objects.filter(schools__id__in=roles.sso_school_ids).distinct().order_by("name")


@require_GET
@sso_required
def youth_service_list(request: HttpRequest) -> HttpResponse:
    services_ = YouthService.objects.visible_to(request.portal_roles).select_related("ward", "last_contact_by")
    return render(request, "workspace/youth_service_list.html", {"youth_services": services_})


@require_http_methods(["GET", "POST"])
@sso_required
def youth_service_edit(request: HttpRequest, service_id: int | None = None) -> HttpResponse:
    roles = request.portal_roles
    service = None
    if service_id is not None:
        service = get_object_or_404(YouthService.objects.visible_to(roles), pk=service_id)
    form = YouthServiceForm(
        request.POST if request.method == "POST" else None, instance=service, wards=_my_wards(roles)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_youth_service(service=form.instance, saved_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("workspace:youth-service-list")
    return render(request, "workspace/youth_service_form.html", {"form": form, "service": service})


@require_GET
@sso_required
def concerns_passed(request: HttpRequest) -> HttpResponse:
    """What the SSO passed to their schools' DSLs, as sent; a link to the whole concern once shared back."""
    concerns = Concern.objects.passed_on_by(request.portal_roles).select_related("school")
    page = Paginator(concerns, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workspace/concerns_passed.html", {"page": page})


@sensitive_post_parameters("pupil_reference", "description")
@require_http_methods(["GET", "POST"])
@sso_required
def concern_pass(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    schools = School.objects.visible_to(roles).filter(pk__in=roles.sso_school_ids).order_by("name")
    form = PassConcernForm(request.POST if request.method == "POST" else None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            concern = pass_concern_to_dsl(roles=roles, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Passed to the DSLs of {concern.school.name} as concern {concern.pk}.")
            return redirect("workspace:concerns-passed")
    return render(request, "workspace/concern_pass.html", {"form": form})


@require_GET
@login_required
def activity_summary(request: HttpRequest) -> HttpResponse:
    """Counts of SSO activity, suppressed: BCU managers and council readers by category, school, BCU
    and month; a DSL for their own schools by category and month. Never an activity itself."""
    roles = request.portal_roles
    if not (roles.sees_aggregates or roles.is_dsl):
        raise PermissionDenied
    form = SearchMonthSummaryForm.from_query(request.GET)
    tables = []
    if form.is_valid():
        data = form.cleaned_data
        bcu = data.get("bcu") if roles.sees_aggregates else None
        group_bys = ["category", "school", "bcu"] if roles.sees_aggregates else ["category"]
        # One release per month, whatever the BCU chosen: a BCU's tables and the whole's are suppressed together.
        summary = selectors.activity_summary(
            activities=Activity.objects.counted_for(roles),
            month=data["date_from"],
            group_bys=group_bys,
            bcu_code=bcu.code if bcu else None,
        )
        for group_by in group_bys:
            title = selectors.ACTIVITY_GROUPINGS[group_by][0]
            caption = f"By {title.lower() if group_by != 'bcu' else title}"
            tables.append({"title": title, "caption": caption, "rows": summary.tables[group_by]})
        tables.append(
            {"title": "Month", "caption": "By month, over the twelve months to the one chosen", "rows": summary.months}
        )
    context = {"form": form, "tables": tables, "sees_aggregates": roles.sees_aggregates}
    return render(request, "workspace/activity_summary.html", context)
