"""The statement's pages: the school's DSLs and head teacher in the portal, and the public page.

Every read starts from ``SafeguardingStatement.objects.visible_to``; every write is a service."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schools.models import School

from . import services
from .forms import DraftForm, PublicationForm, SignForm
from .models import SafeguardingStatement


def statement_keeper_required(view):
    """A school's current DSLs and head teacher; other logins get 403, anonymous the log-in page."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        roles = request.portal_roles
        if not (roles.dsl_school_ids or roles.head_teacher_school_ids):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _keeper_schools(request: HttpRequest):
    roles = request.portal_roles
    return School.objects.filter(pk__in=roles.dsl_school_ids | roles.head_teacher_school_ids).order_by("name")


@require_GET
@statement_keeper_required
def overview(request: HttpRequest) -> HttpResponse:
    """Each of the login's schools: its statement in force, its draft, and every version."""
    roles = request.portal_roles
    schools = list(_keeper_schools(request))
    versions = SafeguardingStatement.objects.visible_to(roles).order_by("school_id", "-version")
    by_school: dict[int, list[SafeguardingStatement]] = {school.pk: [] for school in schools}
    for statement in versions:
        by_school[statement.school_id].append(statement)
    today = timezone.localdate()
    rows = []
    for school in schools:
        history = by_school[school.pk]
        draft = next((s for s in history if not s.is_signed), None)
        in_force = next((s for s in history if s.is_signed), None)
        rows.append(
            {
                "school": school,
                "draft": draft,
                "in_force": in_force,
                "signed": [s for s in history if s.is_signed],
                "review_due": in_force is not None and in_force.review_due_on <= today,
                "drafts_here": school.pk in roles.dsl_school_ids,
                "signs_here": school.pk in roles.head_teacher_school_ids,
            }
        )
    return render(request, "statements/overview.html", {"rows": rows, "staff_navigation": not roles.is_dsl})


@require_http_methods(["GET", "POST"])
@statement_keeper_required
def edit_draft(request: HttpRequest, school_id: int) -> HttpResponse:
    """The DSL writes the school's draft (a new one starts from the statement in force)."""
    roles = request.portal_roles
    if school_id not in roles.dsl_school_ids:
        raise Http404
    school = get_object_or_404(School, pk=school_id)
    draft = SafeguardingStatement.objects.visible_to(roles).drafts().filter(school=school).first()
    initial = None if draft else services.new_draft_sections(school)
    form = DraftForm(request.POST if request.method == "POST" else None, instance=draft, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.save_draft(roles=roles, school=school, sections=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The draft is saved. Your head teacher can now read it and sign it off.")
            return redirect("statements:version", statement_id=draft.pk)
    context = {"form": form, "school": school, "draft": draft, "staff_navigation": not roles.is_dsl}
    return render(request, "statements/draft_form.html", context)


def _visible_statement(request: HttpRequest, statement_id: int) -> SafeguardingStatement:
    return get_object_or_404(
        SafeguardingStatement.objects.visible_to(request.portal_roles).select_related("school"), pk=statement_id
    )


def _version_page(request: HttpRequest, statement: SafeguardingStatement, **forms) -> HttpResponse:
    roles = request.portal_roles
    latest_signed = (
        SafeguardingStatement.objects.signed().filter(school_id=statement.school_id).order_by("-version").first()
    )
    is_in_force = latest_signed is not None and latest_signed.pk == statement.pk
    context = {
        "statement": statement,
        "is_in_force": is_in_force,
        "can_sign": not statement.is_signed and statement.school_id in roles.head_teacher_school_ids,
        "can_edit": not statement.is_signed and statement.school_id in roles.dsl_school_ids,
        "can_publish": is_in_force,
        # A head teacher who is not a DSL reads no concerns: their menu is a member of staff's.
        "staff_navigation": not roles.is_dsl,
        "sign_form": forms.get("sign_form")
        or SignForm(initial={"publish": bool(latest_signed and latest_signed.is_published)}),
        "publication_form": forms.get("publication_form")
        or PublicationForm(
            initial={"publish": statement.is_published, "show_signatory_name": statement.shows_signatory_name}
        ),
    }
    return render(request, "statements/version.html", context)


@require_GET
@statement_keeper_required
def version(request: HttpRequest, statement_id: int) -> HttpResponse:
    return _version_page(request, _visible_statement(request, statement_id))


@require_POST
@statement_keeper_required
def sign(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _visible_statement(request, statement_id)
    if statement.school_id not in request.portal_roles.head_teacher_school_ids:
        raise PermissionDenied
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_statement(
                roles=request.portal_roles,
                statement=statement,
                signatory_name=form.cleaned_data["signatory_name"],
                publish=form.cleaned_data["publish"],
                show_signatory_name=form.cleaned_data["show_signatory_name"],
                on=timezone.localdate(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The statement is signed. Its yearly review is reminded a year from today.")
            return redirect("statements:version", statement_id=statement.pk)
    return _version_page(request, statement, sign_form=form)


@require_POST
@statement_keeper_required
def publication(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _visible_statement(request, statement_id)
    form = PublicationForm(request.POST)
    if form.is_valid():
        try:
            services.set_publication(
                roles=request.portal_roles,
                statement=statement,
                publish=form.cleaned_data["publish"],
                show_signatory_name=form.cleaned_data["show_signatory_name"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            published = form.cleaned_data["publish"]
            messages.success(
                request, "The statement is on the public page." if published else "The statement is not published."
            )
            return redirect("statements:version", statement_id=statement.pk)
    return _version_page(request, statement, publication_form=form)


def _add_errors(form, error: ValidationError) -> None:
    """A service's errors on the form: those of its own fields there, the rest above it."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@require_GET
def public_statement(request: HttpRequest, urn: str) -> HttpResponse:
    """The school's published statement, for anyone: no login, and nothing personal but the
    signatory's name when the school chose to show it."""
    school = get_object_or_404(School.objects.only("pk", "name", "urn"), urn=urn)
    statement = SafeguardingStatement.objects.published_for(school)
    if statement is None:
        raise Http404
    return render(request, "statements/public.html", {"school": school, "statement": statement})
