"""Warnings that need a confirmation: an officer posted outside their BCU, a second primary posting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from officers.models import Posting, PostingRole
from officers.services import create_posting, update_posting
from tests.factories.officers import BCUFactory, BCUManagerFactory, PostingFactory, UserFactory, make_eligible_officer
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)


@pytest.fixture
def riverbank():
    return BCUFactory(name="Riverbank BCU")


@pytest.fixture
def hartwell():
    return BCUFactory(name="Hartwell BCU")


@pytest.fixture
def manager(riverbank):
    return BCUManagerFactory(bcus=[riverbank])


@pytest.fixture
def officer(riverbank):
    return make_eligible_officer(on=START, bcu=riverbank, first_name="Sam", last_name="Okafor")


def _post(officer, school, *, by, confirm=False, role=PostingRole.PRIMARY, start=START):
    return create_posting(
        officer=officer, school=school, role=role, start_date=start, created_by=by, confirm_warnings=confirm
    )


def test_posting_outside_the_officers_bcu_needs_a_confirmation(officer, manager, hartwell):
    school = SchoolFactory(name="Hartwell High", bcu=hartwell)

    with pytest.raises(ValidationError) as error:
        _post(officer, school, by=manager)

    assert error.value.message_dict["confirm_warnings"] == [
        "Sam Okafor belongs to Riverbank BCU, and Hartwell High is in Hartwell BCU: "
        "this posts the officer outside their own BCU."
    ]
    assert not Posting.objects.exists()


def test_a_confirmed_posting_outside_the_bcu_records_the_warning_and_who_confirmed(officer, manager, hartwell):
    posting = _post(officer, SchoolFactory(name="Hartwell High", bcu=hartwell), by=manager, confirm=True)

    assert "outside their own BCU" in posting.confirmed_warnings
    assert posting.warnings_confirmed_by == manager
    assert posting.history.first().confirmed_warnings == posting.confirmed_warnings


def test_a_posting_within_the_officers_bcu_needs_no_confirmation(officer, manager, riverbank):
    posting = _post(officer, SchoolFactory(bcu=riverbank), by=manager)

    assert (posting.confirmed_warnings, posting.warnings_confirmed_by) == ("", None)


def test_a_second_primary_posting_at_the_same_time_needs_a_confirmation(officer, manager, riverbank):
    PostingFactory(officer=officer, school=SchoolFactory(name="Alder School", bcu=riverbank), start_date=START)

    with pytest.raises(ValidationError) as error:
        _post(officer, SchoolFactory(bcu=riverbank), by=manager, start=START + datetime.timedelta(days=30))

    assert error.value.message_dict["confirm_warnings"] == [
        "Sam Okafor already holds a primary posting at Alder School from 1 Sep 2026: "
        "this gives them a second primary posting at the same time."
    ]
    assert Posting.objects.count() == 1


def test_a_primary_posting_after_the_first_one_ended_needs_no_confirmation(officer, manager, riverbank):
    PostingFactory(officer=officer, school=SchoolFactory(bcu=riverbank), start_date=START, end_date=START)

    posting = _post(officer, SchoolFactory(bcu=riverbank), by=manager, start=START + datetime.timedelta(days=1))

    assert posting.confirmed_warnings == ""


def test_a_secondary_posting_beside_a_primary_one_needs_no_confirmation(officer, manager, riverbank):
    PostingFactory(officer=officer, school=SchoolFactory(bcu=riverbank), start_date=START)

    posting = _post(officer, SchoolFactory(bcu=riverbank), by=manager, role=PostingRole.SECONDARY)

    assert posting.confirmed_warnings == ""


def test_only_a_bcu_manager_may_confirm(officer, hartwell):
    with pytest.raises(ValidationError) as error:
        _post(officer, SchoolFactory(bcu=hartwell), by=UserFactory(is_staff=True), confirm=True)

    assert error.value.message_dict["confirm_warnings"] == ["Only a BCU manager may confirm these warnings."]


def test_a_confirmed_warning_is_not_asked_again_when_the_end_date_changes(officer, manager, hartwell):
    posting = _post(officer, SchoolFactory(bcu=hartwell), by=manager, confirm=True)

    update_posting(posting=posting, updated_by=manager, end_date=datetime.date(2027, 7, 20))

    posting.refresh_from_db()
    assert posting.end_date == datetime.date(2027, 7, 20)
    assert posting.warnings_confirmed_by == manager


def test_moving_a_posting_into_a_warning_needs_a_confirmation_and_changes_nothing_without(
    officer, manager, riverbank, hartwell
):
    posting = _post(officer, SchoolFactory(bcu=riverbank), by=manager)
    elsewhere = SchoolFactory(bcu=hartwell)

    with pytest.raises(ValidationError):
        update_posting(posting=Posting.objects.get(pk=posting.pk), updated_by=manager, school=elsewhere)

    posting.refresh_from_db()
    assert posting.school != elsewhere


# The admin form.


def _form(officer, school, **extra):
    return {
        "officer": officer.pk,
        "school": school.pk,
        "role": "primary",
        "start_date": "01/09/2026",
        "end_date": "",
        "justification": "",
        **extra,
    }


def test_the_posting_form_shows_the_warning_and_saves_nothing_until_confirmed(client, officer, manager, hartwell):
    client.force_login(manager)
    school = SchoolFactory(name="Hartwell High", bcu=hartwell)

    response = client.post(reverse("admin:officers_posting_add"), _form(officer, school))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["confirm_warnings"]
    assert "this posts the officer outside their own BCU" in errors[0]
    assert b"I have read the warnings and still want to save this posting" in response.content
    assert not Posting.objects.exists()


def test_the_posting_form_saves_once_the_warning_is_confirmed(client, officer, manager, hartwell):
    client.force_login(manager)

    response = client.post(
        reverse("admin:officers_posting_add"), _form(officer, SchoolFactory(bcu=hartwell), confirm_warnings="on")
    )

    assert response.status_code == 302
    posting = Posting.objects.get()
    assert posting.warnings_confirmed_by == manager
    page = client.get(reverse("admin:officers_posting_change", args=[posting.pk])).content.decode()
    assert "outside their own BCU" in page


def test_the_officer_page_asks_for_the_confirmation_too(client, officer, manager, riverbank):
    from tests.officers.test_admin_postings import _officer_page_data

    PostingFactory(officer=officer, school=SchoolFactory(bcu=riverbank), start_date=START)
    client.force_login(manager)
    url = reverse("admin:officers_officer_change", args=[officer.pk])

    refused = client.post(url, _officer_page_data(officer, school=SchoolFactory(bcu=riverbank).pk))
    assert refused.status_code == 200
    assert "this gives them a second primary posting at the same time" in refused.content.decode()
    assert Posting.objects.count() == 1

    data = _officer_page_data(officer, school=SchoolFactory(bcu=riverbank).pk, confirm_warnings="on")
    assert client.post(url, data).status_code == 302
    assert Posting.objects.count() == 2
