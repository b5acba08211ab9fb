"""An invitation from its sending to its use: the e-mail and its link, accepting (a new login or a
signed-in one), and every way a link stops working."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from invitations.models import Invitation, InvitationKind, InvitationStatus
from invitations.services import accept_as, accept_with_new_login, invite, withdraw_invitation
from notifications.models import Delivery, DeliveryStatus
from officers.models import OfficerStatus
from schools.models import SchoolStaff, StaffRole
from tests.factories.invitations import AdministratorFactory, InvitationFactory, token_of
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase-2026"
LINK = re.compile(r"http://testserver/invitations/(?P<token>[0-9a-f]{64})/")


@pytest.fixture(autouse=True)
def _portal_address(settings):
    settings.PORTAL_BASE_URL = "http://testserver"


@pytest.fixture
def administrator():
    return PortalRoles(AdministratorFactory(username="admin"))


@pytest.fixture
def school():
    return SchoolFactory(name="Alder School")


def _invite_staff(roles, school, email: str = "sam@school.invalid") -> Invitation:
    return invite(roles=roles, kind=InvitationKind.SCHOOL_STAFF, email=email, school=school)


def _accept_page(token: str) -> str:
    return reverse("invitations:accept", args=[token])


def _new_login(client, token: str, username: str = "sam", password: str = PASSWORD):
    return client.post(_accept_page(token), {"username": username, "password": password, "password_again": password})


def test_inviting_emails_a_link_and_nothing_else(administrator, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite_staff(administrator, school)

    (message,) = mail.outbox
    assert message.to == ["sam@school.invalid"]
    assert LINK.search(message.body)
    assert "Alder School" not in message.body + message.subject


def test_the_email_is_queued_after_commit_with_its_delivery_id_only(
    administrator, school, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications import tasks

    queued = []
    monkeypatch.setattr(tasks.send_delivery, "apply_async", lambda args, **options: queued.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(roles=administrator, kind=InvitationKind.SCHOOL_STAFF, email="sam@x.invalid", school=school)
    assert queued == []

    callbacks[0]()

    assert queued == [(Delivery.objects.get(kind="invitation").pk,)]


def test_the_email_is_recorded_as_a_delivery_without_its_link(
    administrator, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite_staff(administrator, school)

    delivery = Delivery.objects.get(kind="invitation")
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.recipient == "sam@school.invalid"
    assert not LINK.search(delivery.body)
    assert LINK.search(mail.outbox[0].body)


def test_an_invitation_withdrawn_before_its_email_went_is_never_sent(
    administrator, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = _invite_staff(administrator, school)
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())

    callbacks[0]()

    assert mail.outbox == []
    assert Delivery.objects.get(kind="invitation").status == DeliveryStatus.CANCELLED


def test_the_token_is_stored_only_as_a_hash(administrator, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(
            roles=administrator, kind=InvitationKind.SCHOOL_STAFF, email="sam@x.invalid", school=school
        )
    token = LINK.search(mail.outbox[0].body)["token"]

    rows = [
        *Invitation.objects.filter(pk=invitation.pk).values(),
        *Invitation.history.filter(id=invitation.pk).values(),
        *Delivery.objects.values(),
    ]
    assert not [value for row in rows for value in row.values() if token in str(value)]


def test_the_link_works_for_the_lifetime_setting(administrator, school, settings):
    settings.INVITATION_LIFETIME_DAYS = 3
    invitation = _invite_staff(administrator, school)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_opening_the_link_shows_who_invited_them_and_for_what(client, school):
    inviter = AdministratorFactory(first_name="Dana", last_name="Lead")
    invitation = InvitationFactory(school=school, invited_by=inviter)

    response = client.get(_accept_page(token_of(invitation)))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Dana Lead" in text
    assert "Member of school staff at Alder School" in text


def test_opening_the_link_changes_nothing(client):
    invitation = InvitationFactory()
    client.get(_accept_page(token_of(invitation)))
    invitation.refresh_from_db()
    assert invitation.status() == InvitationStatus.PENDING


def test_accepting_creates_a_login_with_the_password_and_links_it(client):
    contact = DSLContactFactory(name="Dana Lead")
    invitation = InvitationFactory(to_dsl_contact=True, dsl_contact=contact, email="dana@school.invalid", name="")

    response = _new_login(client, token_of(invitation), username="dana")

    assert response.status_code == 302
    assert response.url == reverse("login")
    user = get_user_model().objects.get(username="dana")
    assert user.check_password(PASSWORD)
    assert (user.email, user.is_staff, user.is_superuser) == ("dana@school.invalid", False, False)
    contact.refresh_from_db()
    assert contact.user == user
    assert PortalRoles(user).dsl_school_ids == {contact.school_id}


def test_a_member_of_staff_is_sent_to_sign_in_and_then_to_the_home_page(client):
    response = _new_login(client, token_of(InvitationFactory()))
    assert response.url == reverse("login") + "?next=%2F"


def test_accepting_links_an_officer_as_sso():
    officer = OfficerFactory(first_name="Jo", last_name="Brown")
    school = PostingFactory(officer=officer, start_date=datetime.date(2020, 1, 1)).school
    invitation = InvitationFactory(to_officer=True, officer=officer, name="Jo Brown")

    user = accept_with_new_login(token=token_of(invitation), username="jo.brown", password=PASSWORD)

    assert PortalRoles(user).sso_school_ids == {school.pk}
    assert user.get_full_name() == "Jo Brown"


@pytest.mark.parametrize(
    ("kind", "role"),
    [(InvitationKind.SCHOOL_STAFF, StaffRole.STAFF), (InvitationKind.HEAD_TEACHER, StaffRole.HEAD_TEACHER)],
)
def test_accepting_makes_a_school_staff_membership(school, kind, role):
    invitation = InvitationFactory(school=school, kind=kind)

    user = accept_with_new_login(token=token_of(invitation), username="sam", password=PASSWORD)

    membership = SchoolStaff.objects.get(user=user)
    assert (membership.school, membership.role, membership.is_current) == (school, role, True)
    assert PortalRoles(user).staff_school_ids == {school.pk}
    assert not PortalRoles(user).is_portal_user


def test_accepting_records_who_and_which_invitation_in_the_history():
    contact = DSLContactFactory()
    invitation = InvitationFactory(to_dsl_contact=True, dsl_contact=contact)

    user = accept_with_new_login(token=token_of(invitation), username="dana", password=PASSWORD)

    version = contact.history.first()
    assert (version.user_id, version.history_user) == (user.pk, user)
    assert version.history_change_reason == f"Invitation {invitation.pk} accepted"
    invitation.refresh_from_db()
    assert (invitation.accepted_user, invitation.status()) == (user, InvitationStatus.ACCEPTED)
    assert invitation.history.first().history_user == user


def test_a_link_works_once(client):
    invitation = InvitationFactory()
    _new_login(client, token_of(invitation), username="first")

    response = _new_login(client, token_of(invitation), username="second")

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not get_user_model().objects.filter(username="second").exists()


def test_an_expired_link_does_not_work(client):
    invitation = InvitationFactory(expired=True)

    response = _new_login(client, token_of(invitation))

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not get_user_model().objects.filter(username="sam").exists()


def test_a_link_expires_at_its_expiry_time(client, school):
    invitation = InvitationFactory(school=school)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    assert client.get(_accept_page(token_of(invitation))).status_code == 410


def test_a_withdrawn_link_does_not_work(client, administrator):
    invitation = InvitationFactory()
    withdraw_invitation(invitation=invitation, roles=administrator)

    response = _new_login(client, token_of(invitation))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_unknown_link_says_so_and_nothing_more(client):
    response = client.get(_accept_page("0" * 64))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_an_unusable_link_shows_no_address(client):
    invitation = InvitationFactory(expired=True, email="private.person@school.invalid")
    response = client.get(_accept_page(token_of(invitation)))
    assert "private.person" not in response.content.decode()


def test_a_new_invitation_withdraws_the_pending_one_for_the_same_record(administrator):
    contact = DSLContactFactory()
    first = invite(roles=administrator, kind=InvitationKind.DSL_CONTACT, email="a@x.invalid", dsl_contact=contact)
    invite(roles=administrator, kind=InvitationKind.DSL_CONTACT, email="b@x.invalid", dsl_contact=contact)
    first.refresh_from_db()
    assert first.status() == InvitationStatus.REVOKED


def test_a_password_the_validators_refuse_is_shown_and_nothing_is_made(client):
    invitation = InvitationFactory()

    response = _new_login(client, token_of(invitation), password="short")

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert not get_user_model().objects.filter(username="sam").exists()
    invitation.refresh_from_db()
    assert invitation.status() == InvitationStatus.PENDING


def test_the_two_passwords_must_match(client):
    invitation = InvitationFactory()
    response = client.post(
        _accept_page(token_of(invitation)),
        {"username": "sam", "password": PASSWORD, "password_again": PASSWORD + "x"},
    )
    assert "The passwords do not match" in response.content.decode()


def test_a_taken_username_is_refused(client):
    UserFactory(username="Sam")
    response = _new_login(client, token_of(InvitationFactory()), username="sam")
    assert "That username is taken" in response.content.decode()


def test_an_address_with_an_active_login_must_sign_in_instead(client):
    UserFactory(email="dana@school.invalid")
    invitation = InvitationFactory(email="Dana@School.invalid")

    response = _new_login(client, token_of(invitation))

    assert "You already have an SSO Portal login with this e-mail address" in response.content.decode()
    assert not get_user_model().objects.filter(username="sam").exists()


def test_a_staff_account_with_the_address_does_not_stop_a_separate_login(client):
    UserFactory(username="manager", email="dana@police.invalid", is_staff=True)
    invitation = InvitationFactory(to_officer=True, email="dana@police.invalid")

    response = _new_login(client, token_of(invitation), username="dana")

    assert response.status_code == 302
    assert get_user_model().objects.get(username="dana").officer == invitation.officer


def test_a_signed_in_login_with_the_address_accepts_without_a_new_login(client):
    user = UserFactory(email="dana@school.invalid")
    DSLContactFactory(user=user)  # already the DSL of another school
    contact = DSLContactFactory()
    invitation = InvitationFactory(to_dsl_contact=True, dsl_contact=contact, email="dana@school.invalid")
    client.force_login(user)

    response = client.post(_accept_page(token_of(invitation)))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.user == user
    assert len(PortalRoles(user).dsl_school_ids) == 2


def test_a_signed_in_login_with_another_address_is_refused(client):
    user = UserFactory(email="someone.else@school.invalid")
    invitation = InvitationFactory(email="dana@school.invalid")
    client.force_login(user)

    response = client.post(_accept_page(token_of(invitation)))

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status() == InvitationStatus.PENDING


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_a_staff_account_never_accepts(flags):
    user = UserFactory(email="dana@police.invalid", **flags)
    invitation = InvitationFactory(to_officer=True, email="dana@police.invalid")

    with pytest.raises(PermissionDenied):
        accept_as(token=token_of(invitation), user=user)

    invitation.officer.refresh_from_db()
    assert invitation.officer.user is None


def test_an_invitation_to_a_contact_no_longer_current_cannot_be_accepted(client):
    contact = DSLContactFactory()
    invitation = InvitationFactory(to_dsl_contact=True, dsl_contact=contact)
    contact.is_current = False
    contact.save()

    response = _new_login(client, token_of(invitation))

    assert "no longer current" in response.content.decode()
    assert not get_user_model().objects.filter(username="sam").exists()


def test_an_invitation_to_an_officer_who_has_left_cannot_be_accepted():
    invitation = InvitationFactory(to_officer=True)
    invitation.officer.status = OfficerStatus.LEFT
    invitation.officer.save()

    with pytest.raises(ValidationError, match="left the role"):
        accept_with_new_login(token=token_of(invitation), username="jo", password=PASSWORD)

    assert not get_user_model().objects.filter(username="jo").exists()


def test_an_officer_invitation_cannot_link_a_login_that_is_already_another_officers(client):
    user = UserFactory(email="jo@police.invalid")
    OfficerFactory(user=user)
    invitation = InvitationFactory(to_officer=True, email="jo@police.invalid")
    client.force_login(user)

    client.post(_accept_page(token_of(invitation)))

    invitation.refresh_from_db()
    assert invitation.status() == InvitationStatus.PENDING
    assert invitation.officer.user is None


def test_a_withdrawn_invitation_is_not_emailed(administrator, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = _invite_staff(administrator, school)
        withdraw_invitation(invitation=invitation, roles=administrator)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_invitations_are_filtered_by_each_status():
    from django.utils import timezone as tz

    from invitations.models import Invitation, InvitationStatus
    from tests.factories.invitations import InvitationFactory

    pending = InvitationFactory()
    expired = InvitationFactory(expired=True)
    accepted = InvitationFactory(accepted_at=tz.now())
    withdrawn = InvitationFactory(revoked_at=tz.now())

    by_status = {status: set(Invitation.objects.with_status(status)) for status in InvitationStatus.values}

    assert by_status == {
        InvitationStatus.PENDING: {pending},
        InvitationStatus.EXPIRED: {expired},
        InvitationStatus.ACCEPTED: {accepted},
        InvitationStatus.REVOKED: {withdrawn},
    }


def test_the_school_of_an_invitation_is_its_dsl_contacts_or_its_own_and_none_for_an_officer():
    from tests.factories.invitations import InvitationFactory

    to_staff = InvitationFactory()
    to_dsl = InvitationFactory(to_dsl_contact=True)
    to_officer = InvitationFactory(to_officer=True)

    assert to_staff.target_school == to_staff.school
    assert to_dsl.target_school == to_dsl.dsl_contact.school
    assert to_officer.target_school is None


@pytest.mark.parametrize(
    ("kind", "target", "field", "message"),
    [
        ("no-such-kind", {}, "kind", "Choose what the person is invited as."),
        (
            InvitationKind.DSL_CONTACT,
            {"dsl_contact": lambda: DSLContactFactory(is_current=False)},
            "dsl_contact",
            "This DSL contact is no longer current.",
        ),
        (
            InvitationKind.OFFICER,
            {"officer": lambda: OfficerFactory(status=OfficerStatus.LEFT)},
            "officer",
            "This officer has left the role.",
        ),
        (
            InvitationKind.OFFICER,
            {"officer": lambda: OfficerFactory(user=UserFactory())},
            "officer",
            "This officer already has a portal login: remove it first to invite them again.",
        ),
    ],
    ids=["unknown kind", "former DSL contact", "officer who left", "officer with a login"],
)
def test_an_invitation_to_a_record_that_cannot_take_a_login_is_refused(administrator, kind, target, field, message):
    records = {name: build() for name, build in target.items()}

    with pytest.raises(ValidationError) as refused:
        invite(roles=administrator, kind=kind, email="someone@x.invalid", **records)

    assert refused.value.message_dict[field] == [message]
    assert not Invitation.objects.exists()
