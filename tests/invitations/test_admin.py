"""Invitations and portal logins in the admin: who invites there, that no form links a login, and
that removing one (revoking access) is done and recorded."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.roles import PortalRoles
from invitations.models import Invitation, InvitationKind, InvitationStatus
from officers.models import Officer
from schools.models import DSLContact, SchoolStaff
from tests.factories.invitations import AdministratorFactory, ForceLeadFactory, InvitationFactory
from tests.factories.officers import BCUManagerFactory, OfficerFactory, UserFactory
from tests.factories.schools import DSLContactFactory, SchoolStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator_client(client):
    client.force_login(AdministratorFactory(username="admin"))
    return client


@pytest.fixture
def force_lead_client(client):
    client.force_login(ForceLeadFactory(username="force-lead"))
    return client


def _request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    request.portal_roles = PortalRoles(user)
    return request


# Every admin form that shows DSL contacts, officers or staff memberships, built for an
# administrator (who may do most): none may hold a field choosing a login.
LOGIN_HOLDERS = {DSLContact, Officer, SchoolStaff}


@pytest.mark.parametrize("make_user", [AdministratorFactory, BCUManagerFactory], ids=["administrator", "bcu manager"])
def test_no_admin_form_or_inline_offers_a_login_field(make_user):
    request = _request_as(make_user())
    for model, model_admin in admin.site._registry.items():
        forms = []
        if model in LOGIN_HOLDERS:
            forms.append(model_admin.get_form(request, None))
        for inline in model_admin.get_inline_instances(request, None):
            if inline.model in LOGIN_HOLDERS:
                forms.append(inline.get_formset(request, None).form)
        for form in forms:
            assert "user" not in form.base_fields, f"{model_admin} offers a login field"


def test_an_administrator_invites_a_dsl_contact_in_the_admin(administrator_client, django_capture_on_commit_callbacks):
    contact = DSLContactFactory(name="Dana Lead")

    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            reverse("admin:invitations_invitation_add"),
            {"kind": "dsl_contact", "dsl_contact": contact.pk, "email": "dana@school.invalid", "name": ""},
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.dsl_contact, invitation.name) == (contact, "Dana Lead")
    assert mail.outbox[0].to == ["dana@school.invalid"]


def test_the_admin_refuses_an_invitation_without_its_record(administrator_client):
    response = administrator_client.post(
        reverse("admin:invitations_invitation_add"), {"kind": "officer", "email": "jo@police.invalid"}
    )
    assert response.status_code == 200
    assert "officer" in response.context["adminform"].form.errors
    assert not Invitation.objects.exists()


def test_a_force_lead_is_offered_officers_only(force_lead_client):
    form = force_lead_client.get(reverse("admin:invitations_invitation_add")).context["adminform"].form
    assert [value for value, _ in form.fields["kind"].choices if value] == [InvitationKind.OFFICER]
    assert {"dsl_contact", "school"}.isdisjoint(form.fields)


def test_a_force_lead_invites_an_officer_in_the_admin(force_lead_client):
    officer = OfficerFactory()

    response = force_lead_client.post(
        reverse("admin:invitations_invitation_add"),
        {"kind": "officer", "officer": officer.pk, "email": "jo@police.invalid"},
    )

    assert response.status_code == 302
    assert Invitation.objects.get().officer == officer


def test_a_force_lead_cannot_post_another_kind(force_lead_client):
    response = force_lead_client.post(
        reverse("admin:invitations_invitation_add"),
        {"kind": "school_staff", "school": DSLContactFactory().school_id, "email": "x@school.invalid"},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_a_force_lead_sees_officer_invitations_only(force_lead_client):
    InvitationFactory(to_officer=True, email="officer@police.invalid")
    InvitationFactory(email="teacher@school.invalid")

    text = force_lead_client.get(reverse("admin:invitations_invitation_changelist")).content.decode()

    assert "officer@police.invalid" in text
    assert "teacher@school.invalid" not in text


def test_an_invitation_is_read_only_in_the_admin(administrator_client):
    invitation = InvitationFactory()
    url = reverse("admin:invitations_invitation_change", args=[invitation.pk])

    response = administrator_client.post(url, {"email": "someone.else@x.invalid"})

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.email != "someone.else@x.invalid"


def test_an_invitation_cannot_be_reverted_to_an_earlier_version(administrator_client):
    invitation = InvitationFactory()
    version = invitation.history.get()
    url = reverse("admin:invitations_invitation_simple_history", args=[invitation.pk, version.pk])

    assert administrator_client.get(url).status_code == 200
    assert administrator_client.post(url, {}).status_code == 403


def test_the_withdraw_action_withdraws_pending_invitations(administrator_client):
    pending, used = InvitationFactory(), InvitationFactory(accepted_user=UserFactory())
    Invitation.objects.filter(pk=used.pk).update(accepted_at=used.created_at)

    administrator_client.post(
        reverse("admin:invitations_invitation_changelist"),
        {"action": "withdraw", "_selected_action": [pending.pk, used.pk]},
    )

    pending.refresh_from_db()
    used.refresh_from_db()
    assert (pending.status(), used.status()) == (InvitationStatus.REVOKED, InvitationStatus.ACCEPTED)


@pytest.mark.parametrize(
    ("url_name", "make_row"),
    [
        ("admin:invitations_invitation_changelist", lambda: InvitationFactory(to_officer=True)),
        ("admin:schools_schoolstaff_changelist", SchoolStaffFactory),
    ],
)
def test_changelist_query_count_does_not_grow_with_rows(administrator_client, url_name, make_row):
    url = reverse(url_name)
    for _ in range(2):
        make_row()
    with CaptureQueriesContext(connection) as few:
        assert administrator_client.get(url).status_code == 200
    for _ in range(12):
        make_row()
    with CaptureQueriesContext(connection) as many:
        administrator_client.get(url)
    # Session, user, counts, the page's rows with their joins, filter choices: never per row.
    assert len(many) == len(few) <= 20


def test_an_administrator_removes_a_dsl_contacts_login(administrator_client):
    user = UserFactory(username="dana")
    contact = DSLContactFactory(user=user)

    administrator_client.post(
        reverse("admin:schools_dslcontact_changelist"),
        {"action": "remove_portal_login", "_selected_action": [contact.pk]},
    )

    contact.refresh_from_db()
    assert contact.user is None
    assert PortalRoles(user).dsl_school_ids == frozenset()
    version = contact.history.first()
    assert (version.history_user.username, version.history_change_reason) == ("admin", "Portal login dana removed")
    assert LogEntry.objects.get(object_id=str(contact.pk)).action_flag == CHANGE


@pytest.mark.parametrize("client_fixture", ["administrator_client", "force_lead_client"])
def test_an_administrator_or_a_force_lead_removes_an_officers_login(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    officer = OfficerFactory(user=UserFactory())

    client.post(
        reverse("admin:officers_officer_changelist"),
        {"action": "remove_portal_login", "_selected_action": [officer.pk]},
    )

    officer.refresh_from_db()
    assert officer.user is None


def test_an_administrator_ends_a_staff_membership(administrator_client):
    membership = SchoolStaffFactory()

    administrator_client.post(
        reverse("admin:schools_schoolstaff_changelist"),
        {"action": "end_membership", "_selected_action": [membership.pk]},
    )

    membership.refresh_from_db()
    assert not membership.is_current
    assert PortalRoles(membership.user).staff_school_ids == frozenset()


@pytest.mark.parametrize("model_admin_of", [DSLContact, Officer])
def test_a_bcu_manager_is_not_offered_the_removal_action(model_admin_of):
    request = _request_as(BCUManagerFactory())
    assert "remove_portal_login" not in admin.site._registry[model_admin_of].get_actions(request)


def test_a_bcu_manager_cannot_post_the_removal_action(manager_client):
    contact = DSLContactFactory(user=UserFactory())

    manager_client.post(
        reverse("admin:schools_dslcontact_changelist"),
        {"action": "remove_portal_login", "_selected_action": [contact.pk]},
    )

    contact.refresh_from_db()
    assert contact.user is not None


def test_the_school_page_shows_its_contacts_logins_read_only(administrator_client):
    contact = DSLContactFactory(user=UserFactory(username="dana.lead"))
    response = administrator_client.get(reverse("admin:schools_school_change", args=[contact.school_id]))
    assert "dana.lead" in response.content.decode()
