"""The finding, walked end to end: a BCU manager tries every admin path to link a login of their
choosing to a school (a DSL contact added, the DSL contact inline of the school page, an officer),
and to invite one; that login then tries to read the school's unshared concern. Each step is refused."""

import datetime

import pytest
from django.urls import reverse

from schools.models import DSLContact
from tests.factories.invitations import InvitationFactory, token_of
from tests.factories.officers import BCUFactory, BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db

UNSHARED = "Marker-unshared-concern-9120"


@pytest.fixture
def school():
    return SchoolFactory(name="Alder School")


@pytest.fixture
def unshared_concern(school):
    return ConcernFactory(school=school, description=UNSHARED, shared_with_police=False)


@pytest.fixture
def accomplice():
    """An existing non-staff login: the DSL of another school, so it can open concern pages."""
    user = UserFactory(username="accomplice")
    DSLContactFactory(school=SchoolFactory(name="Birch School"), user=user)
    return user


@pytest.fixture
def home_bcu():
    return BCUFactory()


@pytest.fixture
def manager_client(client, home_bcu):
    # The manager of the officers' BCU: the officer form is theirs to change.
    client.force_login(BCUManagerFactory(username="manager", bcus=[home_bcu]))
    return client


def test_a_bcu_manager_cannot_give_a_login_a_schools_concerns(
    manager_client, school, unshared_concern, accomplice, home_bcu
):
    # 1. The DSL contact add form: the login is ignored.
    response = manager_client.post(
        reverse("admin:schools_dslcontact_add"),
        {
            "school": school.pk,
            "name": "Pat Smith",
            "role": "lead",
            "email": "pat@school.invalid",
            "is_current": "on",
            "user": accomplice.pk,
        },
    )
    assert response.status_code == 302
    assert DSLContact.objects.get(school=school).user is None

    # 2. The DSL contact inline on the school's page: the login is ignored.
    change_school = reverse("admin:schools_school_change", args=[school.pk])
    data = _admin_form_data(manager_client, change_school) | {
        "dsl_contacts-TOTAL_FORMS": 2,
        "dsl_contacts-0-user": accomplice.pk,
        "dsl_contacts-1-school": school.pk,
        "dsl_contacts-1-name": "Deputy Jones",
        "dsl_contacts-1-role": "deputy",
        "dsl_contacts-1-email": "deputy@school.invalid",
        "dsl_contacts-1-is_current": "on",
        "dsl_contacts-1-user": accomplice.pk,
    }
    response = manager_client.post(change_school, data)
    assert response.status_code == 302
    assert DSLContact.objects.filter(school=school).count() == 2
    assert not DSLContact.objects.filter(user=accomplice, school=school).exists()

    # 3. The officer form, for an officer posted to the school: the login is ignored.
    officer = PostingFactory(
        officer=OfficerFactory(bcu=home_bcu), school=school, start_date=datetime.date(2020, 1, 1)
    ).officer
    change_officer = reverse("admin:officers_officer_change", args=[officer.pk])
    data = _admin_form_data(manager_client, change_officer) | {"user": accomplice.pk}
    response = manager_client.post(change_officer, data)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.user is None

    # 4. The invitation pages: the admin's and the portal's refuse a BCU manager.
    assert manager_client.get(reverse("admin:invitations_invitation_add")).status_code == 403
    contact = DSLContact.objects.get(school=school, role="lead")
    invite = {"kind": "dsl_contact", "dsl_contact": contact.pk, "email": "accomplice@example.invalid"}
    response = manager_client.post(reverse("admin:invitations_invitation_add"), invite)
    assert response.status_code == 403
    assert manager_client.get(reverse("invitations:staff-invite")).status_code == 403
    # Even holding someone else's link, a staff account cannot accept it.
    invitation = InvitationFactory(to_dsl_contact=True, dsl_contact=contact)
    response = manager_client.post(reverse("invitations:accept", args=[token_of(invitation)]))
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.user is None

    # 5. The login reads nothing of the school: its concern does not exist for it.
    manager_client.force_login(accomplice)
    response = manager_client.get(reverse("safeguarding:concern-detail", kwargs={"concern_id": unshared_concern.pk}))
    assert response.status_code == 404
    assert UNSHARED not in response.content.decode()


def _admin_form_data(client, url: str) -> dict[str, object]:
    """An admin change form's POST data as it stands, inline formsets included (dates as typed)."""
    response = client.get(url)
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if hasattr(value, "strftime"):
                value = value.strftime("%d/%m/%Y")
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def test_an_officer_with_a_login_given_by_the_database_stays_unchanged_by_the_officer_form(manager_client, home_bcu):
    # The form keeps the stored login whatever is posted (here: an attempt to clear it).
    user = UserFactory()
    officer = OfficerFactory(user=user, bcu=home_bcu)
    change_officer = reverse("admin:officers_officer_change", args=[officer.pk])
    response = manager_client.post(change_officer, _admin_form_data(manager_client, change_officer) | {"user": ""})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.user == user
