"""Casework pages: each starts from ``visible_to`` (through the selectors) and leaves every write
to ``casework.services``."""

from __future__ import annotations

import datetime
from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.decorators import role_required
from casework import selectors, services
from casework.forms import (
    AcknowledgeForm,
    ChallengeEscalationForm,
    ChallengeForm,
    ChallengeResolutionForm,
    ChallengeResponseForm,
    OutsideReceiptForm,
    OutsideTransferForm,
    PoliceAttendanceForm,
    TransferForm,
)
from casework.models import FileTransfer, ProfessionalChallenge
from officers.models import Officer, Posting
from safeguarding.selectors import dsl_schools, portal_school_choices

PER_PAGE = 25


dsl_required = role_required(attrgetter("is_dsl"))
portal_user_required = role_required(attrgetter("is_portal_user"))
counts_reader_required = role_required(attrgetter("sees_aggregates"))


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


# Transfers.


@require_GET
@dsl_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    transfers = selectors.transfer_list(roles=roles)
    return render(
        request,
        "casework/transfer_list.html",
        {
            "incoming": _page(request, transfers.filter(to_school_id__in=roles.dsl_school_ids)),
            "outgoing": transfers.filter(from_school_id__in=roles.dsl_school_ids)[:50],
        },
    )


def _transfer_form_page(request: HttpRequest, form_class, template: str, send) -> HttpResponse:
    schools = dsl_schools(roles=request.portal_roles)
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, schools=schools)
    if posted and form.is_valid():
        data = dict(form.cleaned_data)
        school = data.pop("school")
        try:
            transfer = send(roles=request.portal_roles, from_school=school, **data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"File transfer {transfer.pk} recorded.")
            return redirect("casework:transfer-detail", transfer.pk)
    return render(request, template, {"form": form})


@sensitive_post_parameters("pupil_reference")
@require_http_methods(["GET", "POST"])
@dsl_required
def transfer_create(request: HttpRequest) -> HttpResponse:
    return _transfer_form_page(request, TransferForm, "casework/transfer_form.html", services.send_file_transfer)


@sensitive_post_parameters("pupil_reference")
@require_http_methods(["GET", "POST"])
@dsl_required
def transfer_create_outside(request: HttpRequest) -> HttpResponse:
    return _transfer_form_page(
        request, OutsideTransferForm, "casework/transfer_outside_form.html", services.record_outside_transfer
    )


def _visible_transfer(request: HttpRequest, transfer_id: int) -> FileTransfer:
    try:
        return selectors.transfer_detail(roles=request.portal_roles, transfer_id=transfer_id)
    except FileTransfer.DoesNotExist as missing:
        raise Http404 from missing


def _transfer_page(request: HttpRequest, transfer_id: int, *, acknowledge_form=None, receipt_form=None, status=200):
    roles = request.portal_roles
    transfer = _visible_transfer(request, transfer_id)
    receiving = transfer.to_school_id is not None and transfer.to_school_id in roles.dsl_school_ids
    sending = transfer.from_school_id in roles.dsl_school_ids
    if receiving:
        # Recorded before the copy is shown; the first opening marks the transfer received.
        transfer = services.record_transfer_read(transfer=transfer, roles=roles)
        transfer = _visible_transfer(request, transfer_id)
    context = {
        "transfer": transfer,
        "receiving": receiving,
        "sending": sending,
        "snapshot": selectors.readable_snapshot(transfer.snapshot) if receiving else None,
        "acknowledge_form": (acknowledge_form or AcknowledgeForm()) if receiving and transfer.is_open else None,
        "receipt_form": (receipt_form or OutsideReceiptForm())
        if sending and transfer.is_outside and transfer.is_open
        else None,
        "audit": selectors.transfer_audit(transfer=transfer)[:100],
    }
    return render(request, "casework/transfer_detail.html", context, status=status)


@require_GET
@dsl_required
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _transfer_page(request, transfer_id)


@sensitive_post_parameters("new_pupil_reference")
@require_POST
@dsl_required
def transfer_acknowledge(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _visible_transfer(request, transfer_id)
    if transfer.to_school_id not in request.portal_roles.dsl_school_ids:
        raise PermissionDenied
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge_file_transfer(transfer=transfer, roles=request.portal_roles, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "File acknowledged. The pupil's record at your school starts from it.")
            return redirect("casework:transfer-detail", transfer.pk)
    return _transfer_page(request, transfer_id, acknowledge_form=form, status=400)


@require_POST
@dsl_required
def transfer_receipt(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _visible_transfer(request, transfer_id)
    if transfer.from_school_id not in request.portal_roles.dsl_school_ids or not transfer.is_outside:
        raise PermissionDenied
    form = OutsideReceiptForm(request.POST)
    if form.is_valid():
        try:
            services.record_outside_receipt(transfer=transfer, roles=request.portal_roles, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Receipt recorded.")
            return redirect("casework:transfer-detail", transfer.pk)
    return _transfer_page(request, transfer_id, receipt_form=form, status=400)


# Police attendance.


@require_GET
@dsl_required
def attendance_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.attendance_list(roles=request.portal_roles))
    return render(request, "casework/attendance_list.html", {"page": page})


@sensitive_post_parameters("pupil_reference", "purpose_detail", "challenge_detail")
@require_http_methods(["GET", "POST"])
@dsl_required
def attendance_create(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    schools = dsl_schools(roles=roles)
    officers = (
        Officer.objects.filter(postings__in=_current_postings(roles.dsl_school_ids))
        .distinct()
        .order_by("last_name", "first_name")
    )
    posted = request.method == "POST"
    form = PoliceAttendanceForm(request.POST if posted else None, schools=schools, officers=officers)
    if posted and form.is_valid():
        data = form.cleaned_data
        attended_at = datetime.datetime.combine(
            data["attended_on"], data["attended_time"], tzinfo=timezone.get_current_timezone()
        )
        try:
            attendance = services.record_police_attendance(
                roles=roles,
                school=data["school"],
                pupil_reference=data["pupil_reference"],
                attended_at=attended_at,
                posted_officer=data["posted_officer"],
                officer_name=data["officer_name"],
                collar_number=data["collar_number"],
                purpose=data["purpose"],
                purpose_detail=data["purpose_detail"],
                parent_contacted=data["parent_contacted"],
                appropriate_adult_present=data["appropriate_adult_present"],
                school_challenged=data["school_challenged"],
                challenge_detail=data["challenge_detail"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "attended_at" in error.error_dict:
                error = ValidationError(
                    {("attended_on" if k == "attended_at" else k): v for k, v in error.message_dict.items()}
                )
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Police attendance {attendance.pk} recorded.")
            return redirect("casework:attendance-list")
    return render(request, "casework/attendance_form.html", {"form": form})


def _current_postings(school_ids):
    return Posting.objects.current().filter(school_id__in=school_ids)


# Professional challenge.


@require_GET
@portal_user_required
def challenge_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.challenge_list(roles=request.portal_roles))
    return render(request, "casework/challenge_list.html", {"page": page})


@sensitive_post_parameters("pupil_reference", "decision", "reason")
@require_http_methods(["GET", "POST"])
@portal_user_required
def challenge_create(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    schools = portal_school_choices(roles=roles)
    posted = request.method == "POST"
    form = ChallengeForm(request.POST if posted else None, schools=schools)
    if posted and form.is_valid():
        try:
            challenge = services.open_challenge(roles=roles, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Professional challenge {challenge.pk} opened.")
            return redirect("casework:challenge-detail", challenge.pk)
    return render(request, "casework/challenge_form.html", {"form": form})


def _visible_challenge(request: HttpRequest, challenge_id: int) -> ProfessionalChallenge:
    try:
        return selectors.challenge_detail(roles=request.portal_roles, challenge_id=challenge_id)
    except ProfessionalChallenge.DoesNotExist as missing:
        raise Http404 from missing


def _challenge_page(request: HttpRequest, challenge_id: int, *, status=200, **forms) -> HttpResponse:
    challenge = _visible_challenge(request, challenge_id)
    context = {"challenge": challenge}
    if challenge.is_open:
        context |= {
            "response_form": forms.get("response_form") or ChallengeResponseForm(prefix="response"),
            "escalation_form": (forms.get("escalation_form") or ChallengeEscalationForm(prefix="escalate"))
            if challenge.next_stage
            else None,
            "resolution_form": forms.get("resolution_form") or ChallengeResolutionForm(prefix="resolve"),
        }
    return render(request, "casework/challenge_detail.html", context, status=status)


@require_GET
@portal_user_required
def challenge_detail(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _challenge_page(request, challenge_id)


def _challenge_step(
    request: HttpRequest, challenge_id: int, form_class, prefix: str, context_name: str, write, message
):
    challenge = _visible_challenge(request, challenge_id)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            write(challenge=challenge, roles=request.portal_roles, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("casework:challenge-detail", challenge.pk)
    return _challenge_page(request, challenge_id, status=400, **{context_name: form})


@require_POST
@portal_user_required
def challenge_respond(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _challenge_step(
        request,
        challenge_id,
        ChallengeResponseForm,
        "response",
        "response_form",
        services.add_challenge_response,
        "Response recorded.",
    )


@require_POST
@portal_user_required
def challenge_escalate(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _challenge_step(
        request,
        challenge_id,
        ChallengeEscalationForm,
        "escalate",
        "escalation_form",
        services.escalate_challenge,
        "Challenge escalated to the next stage.",
    )


@require_POST
@portal_user_required
def challenge_resolve(request: HttpRequest, challenge_id: int) -> HttpResponse:
    def resolve(*, challenge, roles, resolved_on, resolution):
        return services.resolve_challenge(challenge=challenge, roles=roles, on=resolved_on, resolution=resolution)

    return _challenge_step(
        request, challenge_id, ChallengeResolutionForm, "resolve", "resolution_form", resolve, "Challenge resolved."
    )


@require_GET
@counts_reader_required
def challenge_statistics(request: HttpRequest) -> HttpResponse:
    rows, total = selectors.challenge_counts(viewer=request.portal_roles)
    return render(request, "casework/challenge_statistics.html", {"rows": rows, "total": total})
