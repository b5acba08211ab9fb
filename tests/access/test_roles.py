import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from access import roles
from access.roles import PortalRoles
from officers.models import OfficerStatus
from officers.services import link_officer_login
from schools.models import StaffRole
from schools.services import add_school_staff, link_dsl_contact_login
from tests.factories.officers import BCUFactory, BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.roles import council_reader
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory

pytestmark = pytest.mark.django_db


def test_bcu_manager_is_a_staff_member_of_the_group():
    assert PortalRoles(BCUManagerFactory()).is_bcu_manager
    assert not PortalRoles(UserFactory(is_staff=True)).is_bcu_manager
    assert not PortalRoles(AnonymousUser()).is_bcu_manager


def test_council_reader_is_a_member_of_the_group():
    assert PortalRoles(council_reader()).is_council_reader
    assert not PortalRoles(UserFactory()).is_council_reader


def test_sso_sees_only_schools_of_current_postings():
    user = UserFactory()
    officer = OfficerFactory(user=user)
    current = PostingFactory(officer=officer, start_date=datetime.date(2020, 1, 1))
    PostingFactory(officer=officer, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    assert PortalRoles(user).sso_school_ids == {current.school_id}
    assert PortalRoles(UserFactory()).sso_school_ids == frozenset()


def test_dsl_sees_only_schools_where_they_are_a_current_contact():
    user = UserFactory()
    mine = DSLContactFactory(user=user)
    DSLContactFactory(user=user, is_current=False)
    DSLContactFactory()
    assert PortalRoles(user).dsl_school_ids == {mine.school_id}


def test_staff_login_linked_to_a_dsl_contact_is_not_a_dsl():
    manager = BCUManagerFactory()
    DSLContactFactory(user=manager)
    assert PortalRoles(manager).dsl_school_ids == frozenset()


def test_staff_login_linked_to_a_posted_officer_is_not_an_sso():
    manager = BCUManagerFactory()
    PostingFactory(officer=OfficerFactory(user=manager), start_date=datetime.date(2020, 1, 1))
    assert PortalRoles(manager).officer is None
    assert PortalRoles(manager).sso_school_ids == frozenset()


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_superuser": True}], ids=["staff", "superuser"])
def test_a_staff_login_is_never_linked_to_a_dsl_contact(flags):
    contact = DSLContactFactory(role="deputy")
    with pytest.raises(ValidationError) as error:
        link_dsl_contact_login(contact=contact, user=UserFactory(**flags), by=None, reason="Test")
    assert "user" in error.value.message_dict


def test_a_staff_login_is_never_linked_to_an_officer():
    officer = OfficerFactory()
    with pytest.raises(ValidationError) as error:
        link_officer_login(officer=officer, user=UserFactory(is_staff=True), by=None, reason="Test")
    assert "user" in error.value.message_dict


def test_a_staff_login_is_never_made_school_staff():
    with pytest.raises(ValidationError) as error:
        add_school_staff(
            school=SchoolFactory(), user=UserFactory(is_staff=True), role=StaffRole.STAFF, by=None, reason="Test"
        )
    assert "user" in error.value.message_dict


def test_a_non_staff_login_is_linked_to_an_officer():
    officer, user = OfficerFactory(), UserFactory()
    link_officer_login(officer=officer, user=user, by=None, reason="Test")
    officer.refresh_from_db()
    assert officer.user == user


def test_school_staff_holds_its_schools_and_nothing_else():
    user = UserFactory()
    membership = SchoolStaffFactory(user=user)
    SchoolStaffFactory(user=user, is_current=False)
    roles = PortalRoles(user)
    assert roles.staff_school_ids == {membership.school_id}
    assert not roles.is_portal_user
    assert roles.dsl_school_ids == roles.sso_school_ids == frozenset()


def test_a_staff_login_holding_a_staff_membership_holds_no_school():
    manager = BCUManagerFactory()
    SchoolStaffFactory(user=manager)
    assert PortalRoles(manager).staff_school_ids == frozenset()


@pytest.mark.parametrize("status", [OfficerStatus.ON_LEAVE, OfficerStatus.RESTRICTED, OfficerStatus.LEFT])
def test_officer_who_is_not_active_holds_no_sso_schools(status):
    user = UserFactory()
    PostingFactory(officer=OfficerFactory(user=user, status=status), start_date=datetime.date(2020, 1, 1))
    assert PortalRoles(user).officer is None
    assert PortalRoles(user).sso_school_ids == frozenset()


def test_a_bcu_with_managers_sends_its_reminders_to_them_only():
    bcu = BCUFactory()
    own = BCUManagerFactory(email="own@police.invalid")
    BCUManagerFactory(email="other@police.invalid")
    bcu.managers.add(own)
    assert roles.bcu_manager_addresses().for_bcu(bcu.pk) == ("own@police.invalid",)


def test_a_bcu_without_managers_sends_its_reminders_to_every_bcu_manager():
    BCUManagerFactory(email="b@police.invalid")
    BCUManagerFactory(email="a@police.invalid")
    assert roles.bcu_manager_addresses().for_bcu(BCUFactory().pk) == ("a@police.invalid", "b@police.invalid")


def test_a_bcu_whose_managers_left_or_have_no_address_falls_back_to_every_bcu_manager():
    bcu = BCUFactory()
    bcu.managers.add(BCUManagerFactory(email="gone@police.invalid", is_active=False), BCUManagerFactory(email=""))
    BCUManagerFactory(email="still.here@police.invalid")
    assert roles.bcu_manager_addresses().for_bcu(bcu.pk) == ("still.here@police.invalid",)


def test_staff_outside_the_manager_group_never_get_manager_reminders():
    bcu = BCUFactory()
    bcu.managers.add(UserFactory(is_staff=True, email="staff@police.invalid"))
    addresses = roles.bcu_manager_addresses()
    assert addresses.for_bcu(bcu.pk) == ()
    assert addresses.everyone == ()


def test_a_council_readers_local_authorities_are_those_they_are_linked_to():
    reader = council_reader()
    mine, _other = DSLContactFactory().school.local_authority, DSLContactFactory().school.local_authority
    mine.council_readers.add(reader)
    assert PortalRoles(reader).readable_local_authority_ids == {mine.pk}


def test_a_user_outside_the_council_reader_group_reads_no_local_authority():
    user = UserFactory()
    DSLContactFactory().school.local_authority.council_readers.add(user)
    assert PortalRoles(user).readable_local_authority_ids == frozenset()
