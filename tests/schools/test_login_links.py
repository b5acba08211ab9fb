"""A portal login changes only through the linking services (access.roles.PortalLoginLink): the
models' clean() refuses any other change, so every form does, the admin's version pages included."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from access.roles import LOGIN_LINK_REFUSED
from schools.services import link_dsl_contact_login, remove_dsl_contact_login
from tests.factories.officers import OfficerFactory, UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory

pytestmark = pytest.mark.django_db


def _refusal(row) -> list[str]:
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    return error.value.messages


def test_a_dsl_contacts_login_set_directly_is_refused():
    contact = DSLContactFactory()
    contact.user = UserFactory()
    assert LOGIN_LINK_REFUSED in _refusal(contact)


def test_a_new_dsl_contact_with_a_login_is_refused():
    contact = DSLContactFactory.build(school=SchoolFactory(), user=UserFactory())
    assert LOGIN_LINK_REFUSED in _refusal(contact)


def test_a_dsl_contacts_login_cleared_directly_is_refused():
    contact = DSLContactFactory(user=UserFactory())
    contact.user = None
    assert LOGIN_LINK_REFUSED in _refusal(contact)


def test_an_officers_login_set_directly_is_refused():
    officer = OfficerFactory()
    officer.user = UserFactory()
    assert LOGIN_LINK_REFUSED in _refusal(officer)


def test_a_staff_memberships_login_changed_directly_is_refused():
    membership = SchoolStaffFactory()
    membership.user = UserFactory()
    assert LOGIN_LINK_REFUSED in _refusal(membership)


def test_a_linked_dsl_contact_cannot_move_to_another_school():
    contact = DSLContactFactory(user=UserFactory(), role="deputy")
    contact.school = SchoolFactory()
    assert "stays at its school" in " ".join(_refusal(contact))


def test_a_linked_former_dsl_contact_cannot_become_current_again():
    contact = DSLContactFactory(user=UserFactory(), role="deputy", is_current=False)
    contact.is_current = True
    assert "cannot be made current again" in " ".join(_refusal(contact))


def test_a_former_dsl_contact_without_a_login_can_become_current_again():
    contact = DSLContactFactory(role="deputy", is_current=False)
    contact.is_current = True
    contact.full_clean()


def test_a_linked_dsl_contacts_other_details_still_change():
    contact = DSLContactFactory(user=UserFactory())
    contact.phone = "020 7946 0999"
    contact.is_current = False
    contact.full_clean()


def test_linking_and_removing_through_the_services_keep_a_version_each():
    contact, user = DSLContactFactory(), UserFactory()
    link_dsl_contact_login(contact=contact, user=user, by=None, reason="Invitation 1 accepted")
    remove_dsl_contact_login(contact=contact, by=UserFactory(username="admin"), reason="Portal login removed")
    reasons = list(contact.history.values_list("user_id", "history_change_reason"))
    assert reasons[:2] == [(None, "Portal login removed"), (user.pk, "Invitation 1 accepted")]


def test_a_bcu_manager_cannot_restore_a_removed_login_from_an_old_version(manager_client):
    # A revert would post the old version whole, its login included: no admin history can be
    # reverted (core.admin.HistoryAdmin), and the model would refuse the login anyway (below).
    contact = DSLContactFactory()
    link_dsl_contact_login(contact=contact, user=UserFactory(), by=None, reason="Invitation 1 accepted")
    linked = contact.history.first()
    remove_dsl_contact_login(contact=contact, by=UserFactory(username="admin"), reason="Portal login removed")
    url = reverse("admin:schools_dslcontact_simple_history", args=[contact.pk, linked.pk])
    form = manager_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data["last_confirmed_on"] = contact.last_confirmed_on.strftime("%d/%m/%Y")
    data["is_current"] = "on"

    response = manager_client.post(url, data)

    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.user is None


def test_a_login_linked_by_the_service_cannot_then_be_swapped_on_the_same_object():
    contact = link_dsl_contact_login(contact=DSLContactFactory(), user=UserFactory(), by=None, reason="Test")
    contact.user = UserFactory()
    assert LOGIN_LINK_REFUSED in _refusal(contact)


def test_linking_the_same_login_again_changes_nothing():
    contact, user = DSLContactFactory(), UserFactory()
    link_dsl_contact_login(contact=contact, user=user, by=None, reason="Invitation accepted")

    again = link_dsl_contact_login(contact=contact, user=user, by=None, reason="Invitation accepted")

    assert again.user_id == user.pk
    assert again.history.count() == 2  # created, then linked once


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        (lambda: DSLContactFactory(is_current=False), "This DSL contact is no longer current."),
        (lambda: DSLContactFactory(user=UserFactory()), "This DSL contact already has a portal login."),
    ],
    ids=["former contact", "contact with a login"],
)
def test_a_login_is_linked_only_to_a_current_contact_without_one(contact, message):
    with pytest.raises(ValidationError) as refused:
        link_dsl_contact_login(contact=contact(), user=UserFactory(), by=None, reason="Invitation accepted")

    assert refused.value.messages == [message]


def test_adding_a_current_staff_member_again_in_another_role_changes_their_role():
    from schools.models import StaffRole
    from schools.services import add_school_staff

    school, user = SchoolFactory(), UserFactory()
    first = add_school_staff(school=school, user=user, role=StaffRole.STAFF, by=None, reason="Invited")

    again = add_school_staff(school=school, user=user, role=StaffRole.HEAD_TEACHER, by=None, reason="Invited")

    assert again.pk == first.pk and again.role == StaffRole.HEAD_TEACHER
