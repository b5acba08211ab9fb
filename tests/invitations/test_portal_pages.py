"""A DSL's staff pages in the portal: inviting, listing, withdrawing; and who gets them."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from invitations.models import Invitation, InvitationKind, InvitationStatus
from tests.factories.invitations import ForceLeadFactory, InvitationFactory
from tests.factories.officers import UserFactory
from tests.factories.roles import ROLE_USERS
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return SchoolFactory(name="Alder School")


@pytest.fixture
def dsl(school):
    user = UserFactory(username="dsl", first_name="Dana", last_name="Lead")
    DSLContactFactory(school=school, user=user)
    return user


@pytest.fixture
def dsl_client(client, dsl):
    client.force_login(dsl)
    return client


def test_a_dsl_invites_a_member_of_staff(dsl_client, school, dsl, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = dsl_client.post(
            reverse("invitations:staff-invite"), {"school": school.pk, "name": "Sam Teacher", "email": "sam@x.invalid"}
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.kind, invitation.school, invitation.invited_by) == (InvitationKind.SCHOOL_STAFF, school, dsl)
    assert mail.outbox[0].to == ["sam@x.invalid"]


def test_a_dsl_cannot_invite_to_another_school_by_its_id(dsl_client):
    other = SchoolFactory()

    response = dsl_client.post(
        reverse("invitations:staff-invite"), {"school": other.pk, "name": "Sam Teacher", "email": "sam@x.invalid"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_invite_form_shows_what_is_missing(dsl_client):
    response = dsl_client.post(reverse("invitations:staff-invite"), {"email": "not an address"})
    text = response.content.decode()
    assert "Error: Invite a member of staff" in text
    assert "Enter the person&#x27;s full name" in text
    assert "Enter an e-mail address in the correct format" in text


def test_the_staff_page_lists_pending_invitations_and_current_staff(dsl_client, school):
    InvitationFactory(school=school, email="waiting@x.invalid")
    InvitationFactory(school=school, email="expired@x.invalid", expired=True)
    InvitationFactory(school=SchoolFactory(), email="elsewhere@x.invalid")
    SchoolStaffFactory(school=school, user__email="member@x.invalid")
    SchoolStaffFactory(school=school, user__email="former@x.invalid", is_current=False)

    text = dsl_client.get(reverse("invitations:staff")).content.decode()

    assert "waiting@x.invalid" in text
    assert "member@x.invalid" in text
    for hidden in ("expired@x.invalid", "elsewhere@x.invalid", "former@x.invalid"):
        assert hidden not in text


def test_a_dsl_withdraws_a_pending_invitation_of_their_school(dsl_client, school):
    invitation = InvitationFactory(school=school)

    response = dsl_client.post(reverse("invitations:staff-invitation-withdraw", args=[invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status() == InvitationStatus.REVOKED


@pytest.mark.parametrize(
    "make_invitation",
    [
        lambda school: InvitationFactory(),
        lambda school: InvitationFactory(school=school, kind=InvitationKind.HEAD_TEACHER),
        lambda school: InvitationFactory(
            to_dsl_contact=True, dsl_contact=DSLContactFactory(school=school, role="deputy")
        ),
    ],
    ids=["another school's", "a head teacher's", "a DSL's"],
)
def test_a_dsl_gets_404_withdrawing_an_invitation_they_do_not_manage(dsl_client, school, make_invitation):
    invitation = make_invitation(school)

    response = dsl_client.post(reverse("invitations:staff-invitation-withdraw", args=[invitation.pk]))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


# Every role but the DSL, posting to the withdraw URL (GET is 405: see the project-wide matrix).
WITHDRAW_REFUSED = {
    "anonymous": 302,
    "bcu_manager": 403,
    "council_reader": 403,
    "sso": 403,
    "plain_staff": 403,
    "force_lead": 403,
}


@pytest.mark.parametrize("role", WITHDRAW_REFUSED)
def test_only_a_dsl_may_post_a_withdrawal(client, school, role):
    invitation = InvitationFactory(school=school)
    user = ForceLeadFactory() if role == "force_lead" else ROLE_USERS[role]()
    if user is not None:
        client.force_login(user)

    response = client.post(reverse("invitations:staff-invitation-withdraw", args=[invitation.pk]))

    assert response.status_code == WITHDRAW_REFUSED[role]
    invitation.refresh_from_db()
    assert invitation.is_pending


@pytest.mark.parametrize("role", WITHDRAW_REFUSED)
def test_only_a_dsl_may_post_an_invitation(client, school, role):
    user = ForceLeadFactory() if role == "force_lead" else ROLE_USERS[role]()
    if user is not None:
        client.force_login(user)

    response = client.post(
        reverse("invitations:staff-invite"), {"school": school.pk, "name": "Sam Teacher", "email": "sam@x.invalid"}
    )

    assert response.status_code == WITHDRAW_REFUSED[role]
    assert not Invitation.objects.exists()


def test_the_dashboard_links_a_dsl_to_staff_access(dsl_client):
    assert reverse("invitations:staff") in dsl_client.get(reverse("safeguarding:dashboard")).content.decode()


def test_the_staff_page_takes_the_same_queries_however_many_rows(dsl_client, dsl, school, django_assert_num_queries):
    second = SchoolFactory()
    DSLContactFactory(school=second, user=dsl)
    for _ in range(2):
        InvitationFactory(school=school)
        SchoolStaffFactory(school=second)
    url = reverse("invitations:staff")
    with CaptureQueriesContext(connection) as few:
        dsl_client.get(url)
    for _ in range(10):
        InvitationFactory(school=second)
        SchoolStaffFactory(school=school)

    # 1 the session, 2 the user, 3 the session's verified second factor (MFA), 4 the DSL's schools
    # (portal roles), 5 those schools, 6 their pending staff invitations with who sent each, 7 their
    # current staff with their logins, 8 the session saved again (its expiry is renewed on every
    # request); 9-12 a savepoint made and released around the request and around that save (the
    # test runs in a transaction).
    with django_assert_num_queries(12):
        dsl_client.get(url)
    assert len(few) == 12
