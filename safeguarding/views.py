"""DSL portal pages. Each starts from ``Concern.objects.visible_to`` (through the selectors) and
leaves every write to ``safeguarding.services``."""

from __future__ import annotations

from operator import attrgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.decorators import role_required
from safeguarding import selectors, services
from safeguarding.filtersets import ConcernFilterSet
from safeguarding.forms import (
    AccessLogFilterForm,
    AttachmentForm,
    ConcernActionForm,
    ConcernForm,
    ConcernStatusForm,
    ContactDetailsForm,
    StatisticsFilterForm,
)
from safeguarding.models import AuditEvent, Category, Concern, ConcernAttachment, ConcernStatus
from safeguarding.permissions import can_add_action, can_manage_concern
from schools.models import School

CONCERNS_PER_PAGE = 25
ACCESS_LOG_ENTRIES_PER_PAGE = 50


portal_user_required = role_required(attrgetter("is_portal_user"))
dsl_required = role_required(attrgetter("is_dsl"))
statistics_viewer_required = role_required(attrgetter("sees_aggregates"))


def _visible_concern(request: HttpRequest, concern_id: int) -> Concern:
    """A concern the user may see, or 404 (never 403: another school's concern does not exist for them)."""
    return get_object_or_404(Concern.objects.visible_to(request.portal_roles).select_related("school"), pk=concern_id)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    if not roles.is_portal_user:
        if roles.sees_aggregates:
            return redirect("safeguarding:statistics")
        if roles.head_teacher_school_ids:  # a head teacher's page is the school's statement
            return redirect("statements:overview")
        if roles.is_school_staff:  # staff report to their DSL, and see their reports and tasks
            return redirect("safeguarding:staff-reports")
        raise PermissionDenied
    schools = selectors.portal_schools(roles=roles)
    recent = selectors.concern_list(roles=roles).active()[:10]
    dsl = roles.is_dsl
    context = {
        "schools": schools,
        "recent_concerns": recent,
        "is_dsl": dsl,
        # An SSO's own pages (their schools, their logged work) start from here.
        "is_sso": roles.is_sso,
        "contact_details_due": dsl and selectors.contact_details_due(roles=roles, on=timezone.localdate()),
        "reports_waiting": selectors.staff_reports_waiting(roles=roles) if dsl else 0,
        "overdue_tasks": list(selectors.overdue_tasks(roles=roles, on=timezone.localdate())[:10]) if dsl else [],
        "open_tasks": selectors.my_tasks(roles=roles).count() if dsl else 0,
    }
    return render(request, "safeguarding/dashboard.html", context)


@require_GET
@portal_user_required
def concern_list(request: HttpRequest) -> HttpResponse:
    schools = selectors.portal_school_choices(roles=request.portal_roles)
    filterset = ConcernFilterSet(
        request.GET or None, queryset=selectors.concern_list(roles=request.portal_roles), schools=schools
    )
    page = Paginator(filterset.qs, CONCERNS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "safeguarding/concern_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode(), "is_dsl": request.portal_roles.is_dsl},
    )


@sensitive_post_parameters("pupil_reference", "description")  # kept out of error reports
@require_http_methods(["GET", "POST"])
@dsl_required
def concern_create(request: HttpRequest) -> HttpResponse:
    schools = selectors.dsl_schools(roles=request.portal_roles)
    posted = request.method == "POST"
    form = ConcernForm(request.POST if posted else None, request.FILES if posted else None, schools=schools)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.create_concern(
                roles=request.portal_roles,
                school=data["school"],
                pupil_reference=data["pupil_reference"],
                year_group=data["year_group"],
                category=data["category"],
                severity=data["severity"],
                description=data["description"],
                share_with_police=data["share_with_police"],
                attachment=data["attachment"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Concern {concern.pk} logged.")
            if concern.shared_with_police:
                _report_sharing(request, concern)
            return redirect("safeguarding:concern-detail", concern.pk)
    return render(request, "safeguarding/concern_form.html", {"form": form})


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _detail_page(
    request: HttpRequest, concern_id: int, *, action_form=None, status_form=None, attachment_form=None, status=200
):
    try:
        concern = selectors.concern_detail(roles=request.portal_roles, concern_id=concern_id)
    except Concern.DoesNotExist as missing:
        raise Http404 from missing
    services.record_concern_access(concern=concern, user=request.user)
    manage = can_manage_concern(request.portal_roles, concern)
    notices = selectors.shared_concern_notices(concern=concern) if manage else []
    context = {
        "concern": concern,
        "can_manage": manage,
        "can_add_action": can_add_action(request.portal_roles, concern),
        "action_form": action_form or ConcernActionForm(),
        "status_form": (status_form or ConcernStatusForm(current_status=concern.status)) if manage else None,
        "attachment_form": (attachment_form or AttachmentForm()) if manage else None,
        # The DSL must know whether each officer has been told yet, so they can contact the police instead.
        "notices": notices,
        "failed_notices": [notice for notice in notices if notice.failure_reason],
        # The school's DSLs see who has read it (this view included).
        "readers": selectors.concern_readers(roles=request.portal_roles, concern_id=concern.pk) if manage else [],
    }
    return render(request, "safeguarding/concern_detail.html", context, status=status)


@require_GET
@portal_user_required
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    return _detail_page(request, concern_id)


@sensitive_post_parameters("action-summary")
@require_POST
@portal_user_required
def concern_add_action(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = _visible_concern(request, concern_id)
    if not can_add_action(request.portal_roles, concern):
        raise PermissionDenied
    form = ConcernActionForm(request.POST)
    if form.is_valid():
        try:
            services.add_concern_action(concern=concern, roles=request.portal_roles, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Action added to the chronology.")
            return redirect("safeguarding:concern-detail", concern.pk)
    return _detail_page(request, concern_id, action_form=form)


@require_POST
@portal_user_required
def concern_change_status(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = _visible_concern(request, concern_id)
    if not can_manage_concern(request.portal_roles, concern):
        raise PermissionDenied
    form = ConcernStatusForm(request.POST, current_status=concern.status)
    if form.is_valid():
        try:
            services.change_concern_status(concern=concern, roles=request.portal_roles, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Status changed.")
            return redirect("safeguarding:concern-detail", concern.pk)
    return _detail_page(request, concern_id, status_form=form)


@require_POST
@portal_user_required
def concern_share(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = _visible_concern(request, concern_id)
    if not can_manage_concern(request.portal_roles, concern):
        raise PermissionDenied
    if concern.shared_with_police:  # a second submit: the service changes nothing and tells nobody
        messages.info(
            request,
            "This concern was already shared with the police. Each e-mail to the school's officers is listed "
            "below; send again any that could not be sent.",
        )
    else:
        services.share_concern_with_police(concern=concern, roles=request.portal_roles)
        _report_sharing(request, concern)
    return redirect("safeguarding:concern-detail", concern.pk)


def _report_sharing(request: HttpRequest, concern: Concern) -> None:
    # The DSL must know when nobody could be told, so they can phone the police instead.
    if selectors.shared_concern_recipients(concern_id=concern.pk):
        # Recorded now, sent by a worker: it has not gone yet, and the page says when it has.
        messages.success(request, "Concern shared. The school's Safer Schools Officer will be e-mailed a link.")
    else:
        messages.warning(
            request,
            "Concern shared, but no Safer Schools Officer with a portal login is posted to this school, so nobody "
            "has been told. Contact the police directly if action is needed.",
        )


@require_POST
@portal_user_required
def concern_send_notices_again(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = _visible_concern(request, concern_id)
    if not can_manage_concern(request.portal_roles, concern):
        raise PermissionDenied
    try:
        count = services.send_shared_concern_notices_again(concern=concern, roles=request.portal_roles)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        if count:
            messages.success(request, f"The e-mail{pluralize(count)} that could not be sent will be sent again.")
        else:
            messages.info(request, "No e-mail about this concern is waiting to be sent again.")
    return redirect(f"{reverse('safeguarding:concern-detail', args=[concern.pk])}#notices")


@require_POST
@portal_user_required
def concern_add_attachment(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = _visible_concern(request, concern_id)
    if not can_manage_concern(request.portal_roles, concern):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_concern_attachment(
                concern=concern, roles=request.portal_roles, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, "File attached.")
            return redirect("safeguarding:concern-detail", concern.pk)
    return _detail_page(request, concern_id, attachment_form=form)


@require_GET
@portal_user_required
def attachment_download(request: HttpRequest, concern_id: int, attachment_id: int) -> FileResponse:
    concern = _visible_concern(request, concern_id)
    attachment = get_object_or_404(ConcernAttachment, concern=concern, pk=attachment_id)
    services.record_concern_access(concern=concern, user=request.user, event=AuditEvent.ATTACHMENT_DOWNLOADED)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@dsl_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who read or changed the concerns of the DSL's schools, and when, newest first."""
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters()
    # Wrong filters show the errors, not the whole log as if nothing had been asked.
    entries = selectors.access_log(roles=request.portal_roles, **filters) if filters is not None else []
    page = Paginator(entries, ACCESS_LOG_ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": selectors.access_log_rows(page.object_list),
        "query": query.urlencode(),
        "several_schools": len(request.portal_roles.dsl_school_ids) > 1,
    }
    return render(request, "safeguarding/access_log.html", context)


@require_http_methods(["GET", "POST"])
@dsl_required
def contact_details(request: HttpRequest) -> HttpResponse:
    contacts = list(selectors.dsl_contacts_of(roles=request.portal_roles))
    first = contacts[0]
    form = ContactDetailsForm(
        request.POST if request.method == "POST" else None,
        initial={"name": first.name, "email": first.email, "phone": first.phone},
    )
    if request.method == "POST" and form.is_valid():
        services.confirm_dsl_contacts(user=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. Your contact details are confirmed.")
        return redirect("safeguarding:dashboard")
    return render(request, "safeguarding/contact_details.html", {"form": form, "contacts": contacts})


@require_GET
@statistics_viewer_required
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsFilterForm(request.GET or None)
    date_from = date_to = None
    if form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    rows = selectors.concern_statistics(
        schools=School.objects.visible_to(request.portal_roles).open(), date_from=date_from, date_to=date_to
    )
    # Council staff are outside the police: they get the same suppressed figures as council systems.
    suppressed = not request.portal_roles.is_bcu_manager
    if suppressed:
        rows = [selectors.suppressed_concern_row(row) for row in rows]
    for row in rows:  # in column order, for the template
        row["status_counts"] = [row["by_status"][value] for value in ConcernStatus.values]
        row["category_counts"] = [row["by_category"][value] for value in Category.values]
    context = {
        "form": form,
        "rows": rows,
        "categories": Category.choices,
        "statuses": ConcernStatus.choices,
        "suppressed": suppressed,
        "without_local_authority": suppressed and not request.portal_roles.readable_local_authority_ids,
    }
    return render(request, "safeguarding/statistics.html", context)
