"""The BCU admin page: who manages a BCU (its reminders, and whose records a manager may change)."""

import pytest
from django.urls import reverse

from tests.factories.officers import BCUFactory, BCUManagerFactory, ForceLeadManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def force_manager(client):
    """A login in both the BCU manager and force lead groups: changes every BCU, and their managers."""
    user = ForceLeadManagerFactory(username="force-manager")
    client.force_login(user)
    return user


def test_only_active_bcu_managers_can_be_chosen_as_a_bcus_managers(client, force_manager, bcu_manager):
    staff = UserFactory(username="plain-staff", is_staff=True)
    retired = BCUManagerFactory(username="retired", is_active=False)
    response = client.get(reverse("admin:officers_bcu_change", args=[BCUFactory().pk]))
    choices = set(response.context["adminform"].form.fields["managers"].queryset)
    assert bcu_manager in choices
    assert staff not in choices and retired not in choices


def test_a_force_lead_manager_assigns_managers_to_a_bcu(client, force_manager, bcu_manager):
    bcu = BCUFactory()
    colleague = BCUManagerFactory(username="colleague")
    response = client.post(
        reverse("admin:officers_bcu_change", args=[bcu.pk]),
        {"code": bcu.code, "name": bcu.name, "force": bcu.force, "managers": [bcu_manager.pk, colleague.pk]},
    )
    assert response.status_code == 302
    assert set(bcu.managers.all()) == {bcu_manager, colleague}


def test_a_staff_user_outside_the_manager_group_is_refused_as_a_bcus_manager(client, force_manager):
    bcu = BCUFactory()
    staff = UserFactory(username="plain-staff", is_staff=True)
    response = client.post(
        reverse("admin:officers_bcu_change", args=[bcu.pk]),
        {"code": bcu.code, "name": bcu.name, "force": bcu.force, "managers": [staff.pk]},
    )
    assert response.status_code == 200
    assert "managers" in response.context["adminform"].form.errors
    assert not bcu.managers.exists()


def test_a_bcu_manager_cannot_give_themselves_their_own_bcus_managers(manager_client, bcu_manager):
    bcu = BCUFactory(name="Old name")
    bcu.managers.add(bcu_manager)
    colleague = BCUManagerFactory(username="colleague")
    response = manager_client.post(
        reverse("admin:officers_bcu_change", args=[bcu.pk]),
        {"code": bcu.code, "name": "New name", "force": bcu.force, "managers": [bcu_manager.pk, colleague.pk]},
    )
    assert response.status_code == 302  # the name is theirs to change, the managers are not
    bcu.refresh_from_db()
    assert bcu.name == "New name"
    assert set(bcu.managers.all()) == {bcu_manager}


def test_a_bcu_manager_cannot_add_themselves_to_another_bcu(manager_client, bcu_manager):
    other = BCUFactory(name="Hartwell")
    url = reverse("admin:officers_bcu_change", args=[other.pk])
    response = manager_client.post(
        url, {"code": other.code, "name": other.name, "force": other.force, "managers": [bcu_manager.pk]}
    )
    assert response.status_code == 403
    assert not other.managers.exists()
    assert b'name="_save"' not in manager_client.get(url).content
