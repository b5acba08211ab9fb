"""Portal pages: a DSL's staff and invitations, and the page an invitation's link opens."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.roles import can_hold_portal_role

from . import selectors, services
from .forms import NewLoginForm, StaffInvitationForm
from .models import Invitation, InvitationKind, InvitationStatus


def _dsl_required(view):
    """Signed-in current DSLs only (others 403; anonymous: the sign-in page)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.portal_roles.is_dsl:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@_dsl_required
def staff(request: HttpRequest) -> HttpResponse:
    """The DSL's schools, each with its pending staff invitations and current staff logins."""
    roles = request.portal_roles
    schools = {school.pk: school for school in selectors.dsl_schools(roles=roles)}
    for school in schools.values():
        school.pending_invitations, school.current_staff = [], []
    for invitation in selectors.pending_staff_invitations(roles=roles):
        schools[invitation.school_id].pending_invitations.append(invitation)
    for membership in selectors.current_staff(roles=roles):
        schools[membership.school_id].current_staff.append(membership)
    context = {"schools": list(schools.values()), "lifetime_days": settings.INVITATION_LIFETIME_DAYS}
    return render(request, "invitations/staff.html", context)


@require_http_methods(["GET", "POST"])
@_dsl_required
def invite_staff(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    schools = selectors.dsl_schools(roles=roles)
    form = StaffInvitationForm(request.POST if request.method == "POST" else None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation = services.invite(
            roles=roles,
            kind=InvitationKind.SCHOOL_STAFF,
            email=data["email"],
            name=data["name"],
            school=data["school"],
        )
        expires = format_date(timezone.localtime(invitation.expires_at), "j M Y")
        messages.success(request, f"Invitation sent to {invitation.email}. The link works until {expires}.")
        return redirect("invitations:staff")
    return render(request, "invitations/invite_staff.html", {"form": form})


@require_POST
@_dsl_required
def withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    # Outside the DSL's schools' staff invitations, an invitation does not exist for them.
    invitation = get_object_or_404(Invitation.objects.of_dsl_schools(request.portal_roles), pk=invitation_id)
    services.withdraw_invitation(invitation=invitation, roles=request.portal_roles)
    messages.success(request, f"Invitation to {invitation.email} withdrawn. Its link no longer works.")
    return redirect("invitations:staff")


UNUSABLE = {
    None: ("This link is not valid", "Check you copied the whole link from your e-mail."),
    InvitationStatus.EXPIRED: ("This invitation has expired", "Ask the person who invited you to send a new one."),
    InvitationStatus.ACCEPTED: ("This invitation has already been used", "Sign in with the login you created."),
    InvitationStatus.REVOKED: (
        "This invitation has been withdrawn",
        "Ask the person who invited you if you still need access.",
    ),
}


def _unusable(request: HttpRequest, status: InvitationStatus | None) -> HttpResponse:
    title, advice = UNUSABLE[status]
    context = {"title": title, "advice": advice, "used": status == InvitationStatus.ACCEPTED}
    # 404 for a link that never existed, 410 for one that no longer works.
    return render(request, "invitations/unusable.html", context, status=404 if status is None else 410)


@never_cache
@sensitive_post_parameters("password", "password_again")
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens. Opening it changes nothing (mail scanners open links):
    only submitting its form accepts.

    Anonymous: create a login and link it. Signed in with the invited address (a non-staff login):
    link that login. Any other signed-in login is refused with a way out (sign out).
    """
    try:
        invitation = services.find_invitation(token)
    except services.InvitationUnusable as unusable:
        return _unusable(request, unusable.status)
    if invitation.status() != InvitationStatus.PENDING:
        return _unusable(request, invitation.status())
    context = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if not can_hold_portal_role(user):
            return render(request, "invitations/accept_refused.html", context | {"staff_account": True}, status=403)
        if user.email.casefold() != invitation.email.casefold():
            return render(request, "invitations/accept_refused.html", context, status=403)
        if request.method == "POST":
            return _accepted(request, invitation, lambda: services.accept_as(token=token, user=user), signed_in=True)
        return render(request, "invitations/accept.html", context | {"signed_in": True})
    form = NewLoginForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accepted = _accepted(
            request,
            invitation,
            lambda: services.accept_with_new_login(token=token, username=data["username"], password=data["password"]),
            signed_in=False,
            form=form,
        )
        if accepted is not None:
            return accepted
    return render(request, "invitations/accept.html", context | {"form": form})


def _accepted(request: HttpRequest, invitation: Invitation, accept, *, signed_in: bool, form=None):
    """Run ``accept``; the next page, or None (errors added to ``form``) when it was refused."""
    try:
        user = accept()  # one transaction: a refusal leaves no login and no link behind
    except services.InvitationUnusable as unusable:
        return _unusable(request, unusable.status)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        for field, field_messages in getattr(error, "message_dict", {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, field_messages)
        return None
    if signed_in:
        messages.success(request, f"You now have access as {invitation.as_what}.")
        return redirect("safeguarding:dashboard" if invitation.kind in _PORTAL_KINDS else "home")
    messages.success(request, f"Your login {user.get_username()} is ready. Sign in to continue.")
    if invitation.kind in _PORTAL_KINDS:
        return redirect("login")
    # Staff have no portal pages yet: after signing in, the home page rather than a refusal.
    return redirect(f"{reverse('login')}?{urlencode({'next': reverse('home')})}")


# Kinds whose access opens the DSL and SSO pages (school staff have none of their own yet).
_PORTAL_KINDS = {InvitationKind.DSL_CONTACT, InvitationKind.OFFICER}
