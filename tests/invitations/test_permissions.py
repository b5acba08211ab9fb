"""Who may invite whom (invitations.permissions), as the service enforces it."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from access.roles import PortalRoles
from core.groups import BCU_MANAGER_GROUP
from invitations.models import InvitationKind
from invitations.services import invite, withdraw_invitation
from tests.factories.invitations import AdministratorFactory, ForceLeadFactory, InvitationFactory
from tests.factories.officers import BCUManagerFactory, OfficerFactory, UserFactory
from tests.factories.roles import council_reader, sso
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _dsl_of(school):
    return DSLContactFactory(school=school, user=UserFactory()).user


def _invite(user, kind, **target):
    return invite(roles=PortalRoles(user), kind=kind, email="person@example.invalid", **target)


def test_force_lead_is_a_staff_member_of_the_group():
    assert PortalRoles(ForceLeadFactory()).is_force_lead
    assert not PortalRoles(ForceLeadFactory(is_staff=False)).is_force_lead
    assert not PortalRoles(BCUManagerFactory()).is_force_lead


def test_administrator_is_an_active_superuser():
    assert PortalRoles(UserFactory(is_staff=True, is_superuser=True)).is_administrator
    assert not PortalRoles(UserFactory(is_staff=True, is_superuser=True, is_active=False)).is_administrator
    assert not PortalRoles(BCUManagerFactory()).is_administrator


TARGETS = {
    InvitationKind.DSL_CONTACT: lambda: {"dsl_contact": DSLContactFactory()},
    InvitationKind.OFFICER: lambda: {"officer": OfficerFactory()},
    InvitationKind.SCHOOL_STAFF: lambda: {"school": SchoolFactory()},
    InvitationKind.HEAD_TEACHER: lambda: {"school": SchoolFactory()},
}


@pytest.mark.parametrize("kind", TARGETS)
def test_an_administrator_invites_any_kind(kind):
    invitation = _invite(AdministratorFactory(), kind, **TARGETS[kind]())
    assert invitation.is_pending


def test_a_force_lead_invites_an_officer():
    assert _invite(ForceLeadFactory(), InvitationKind.OFFICER, officer=OfficerFactory()).is_pending


@pytest.mark.parametrize(
    "kind", [InvitationKind.DSL_CONTACT, InvitationKind.SCHOOL_STAFF, InvitationKind.HEAD_TEACHER]
)
def test_a_force_lead_invites_nobody_else(kind):
    with pytest.raises(PermissionDenied):
        _invite(ForceLeadFactory(), kind, **TARGETS[kind]())


def test_a_force_lead_who_is_also_a_bcu_manager_invites_nobody():
    both = ForceLeadFactory()
    both.groups.add(Group.objects.get(name=BCU_MANAGER_GROUP))
    with pytest.raises(PermissionDenied):
        _invite(both, InvitationKind.OFFICER, officer=OfficerFactory())


def test_a_dsl_invites_staff_of_their_own_school():
    school = SchoolFactory()
    assert _invite(_dsl_of(school), InvitationKind.SCHOOL_STAFF, school=school).is_pending


def test_a_dsl_cannot_invite_staff_of_another_school():
    with pytest.raises(PermissionDenied):
        _invite(_dsl_of(SchoolFactory()), InvitationKind.SCHOOL_STAFF, school=SchoolFactory())


def test_a_former_dsl_cannot_invite_staff():
    school = SchoolFactory()
    user = UserFactory()
    DSLContactFactory(school=school, user=user, is_current=False)
    with pytest.raises(PermissionDenied):
        _invite(user, InvitationKind.SCHOOL_STAFF, school=school)


@pytest.mark.parametrize("kind", [InvitationKind.HEAD_TEACHER, InvitationKind.DSL_CONTACT])
def test_a_dsl_cannot_invite_a_head_teacher_or_a_dsl_even_at_their_school(kind):
    school = SchoolFactory()
    if kind == InvitationKind.HEAD_TEACHER:
        target = {"school": school}
    else:
        target = {"dsl_contact": DSLContactFactory(school=school, role="deputy")}
    with pytest.raises(PermissionDenied):
        _invite(_dsl_of(school), kind, **target)


@pytest.mark.parametrize(
    "make_user",
    [BCUManagerFactory, lambda: UserFactory(is_staff=True), council_reader, sso, UserFactory],
    ids=["bcu manager", "staff without a group", "council reader", "sso", "plain login"],
)
@pytest.mark.parametrize("kind", TARGETS)
def test_nobody_else_invites_anyone(make_user, kind):
    with pytest.raises(PermissionDenied):
        _invite(make_user(), kind, **TARGETS[kind]())


def test_a_dsl_cannot_withdraw_another_schools_invitation():
    invitation = InvitationFactory()
    with pytest.raises(PermissionDenied):
        withdraw_invitation(invitation=invitation, roles=PortalRoles(_dsl_of(SchoolFactory())))
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_a_bcu_manager_cannot_withdraw_an_invitation():
    invitation = InvitationFactory(to_officer=True)
    with pytest.raises(PermissionDenied):
        withdraw_invitation(invitation=invitation, roles=PortalRoles(BCUManagerFactory()))


def test_a_contact_that_already_has_a_login_cannot_be_invited():
    contact = DSLContactFactory(user=UserFactory())
    with pytest.raises(ValidationError, match="already has a portal login"):
        _invite(AdministratorFactory(), InvitationKind.DSL_CONTACT, dsl_contact=contact)


def test_an_invitation_names_exactly_one_record_of_its_kind():
    with pytest.raises(ValidationError, match="only the one record"):
        _invite(AdministratorFactory(), InvitationKind.OFFICER, officer=OfficerFactory(), school=SchoolFactory())
