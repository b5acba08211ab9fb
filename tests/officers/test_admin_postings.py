import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from officers.models import Posting
from tests.factories.officers import PostingFactory, UserFactory, make_eligible_officer
from tests.factories.roles import ADMIN_PAGE_STATUS as EXPECTED_STATUS
from tests.factories.roles import ROLE_USERS
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)
JUSTIFICATION = "Only officer with local knowledge; training booked for 10 Sep."


def _posting_data(officer, school, **extra):
    return {
        "officer": officer.pk,
        "school": school.pk,
        "role": "primary",
        "start_date": "01/09/2026",
        "end_date": "",
        "justification": "",
        **extra,
    }


def test_posting_form_names_the_blocking_requirement(manager_client, bcu_manager):
    officer = make_eligible_officer(on=START, enhanced_vetting_date=datetime.date(2023, 6, 1))
    officer.bcu.managers.add(bcu_manager)
    response = manager_client.post(reverse("admin:officers_posting_add"), _posting_data(officer, SchoolFactory()))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"{escape(officer.full_name)} cannot be posted from 1 Sep 2026:" in content
    assert "Enhanced vetting granted 1 Jun 2023 is more than 3 years old on 1 Sep 2026." in content
    assert not Posting.objects.exists()


def test_posting_form_creates_an_eligible_posting_through_the_service(manager_client, bcu_manager):
    officer = make_eligible_officer(on=START)
    officer.bcu.managers.add(bcu_manager)
    response = manager_client.post(reverse("admin:officers_posting_add"), _posting_data(officer, SchoolFactory()))
    assert response.status_code == 302
    posting = Posting.objects.get()
    assert posting.created_by == bcu_manager
    assert posting.override_justification == ""


def test_bcu_manager_overrides_with_a_justification_shown_on_the_posting(manager_client, bcu_manager):
    officer = make_eligible_officer(on=START, probation_end_date=START)
    officer.bcu.managers.add(bcu_manager)
    data = _posting_data(officer, SchoolFactory(), justification=JUSTIFICATION)
    assert manager_client.post(reverse("admin:officers_posting_add"), data).status_code == 302
    posting = Posting.objects.get()
    assert posting.overridden_by == bcu_manager
    change_page = manager_client.get(reverse("admin:officers_posting_change", args=[posting.pk])).content.decode()
    assert JUSTIFICATION in change_page
    assert "in probation until 1 Sep 2026" in change_page
    history_page = manager_client.get(reverse("admin:officers_posting_history", args=[posting.pk])).content.decode()
    assert JUSTIFICATION in history_page


def test_short_justification_is_a_form_error(manager_client, bcu_manager):
    officer = make_eligible_officer(on=START, probation_end_date=START)
    officer.bcu.managers.add(bcu_manager)
    data = _posting_data(officer, SchoolFactory(), justification="Needed urgently")
    response = manager_client.post(reverse("admin:officers_posting_add"), data)
    assert response.status_code == 200
    assert "at least 20 characters (this one has 15)" in response.content.decode()
    assert not Posting.objects.exists()


def test_changing_only_the_end_date_of_an_overridden_posting_needs_no_new_justification(manager_client, bcu_manager):
    posting = PostingFactory(
        officer=make_eligible_officer(on=START, probation_end_date=START), override_justification=JUSTIFICATION
    )
    posting.officer.bcu.managers.add(bcu_manager)
    data = _posting_data(posting.officer, posting.school, end_date="20/07/2027")
    response = manager_client.post(reverse("admin:officers_posting_change", args=[posting.pk]), data)
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.end_date == datetime.date(2027, 7, 20)
    assert posting.override_justification == JUSTIFICATION


def test_moving_a_posting_to_an_ineligible_officer_in_the_admin_is_refused(manager_client, bcu_manager):
    posting = PostingFactory(officer=make_eligible_officer(on=START))
    newcomer = make_eligible_officer(on=START, probation_end_date=datetime.date(2027, 1, 31), bcu=posting.officer.bcu)
    posting.officer.bcu.managers.add(bcu_manager)
    data = _posting_data(newcomer, posting.school)
    response = manager_client.post(reverse("admin:officers_posting_change", args=[posting.pk]), data)
    assert response.status_code == 200
    assert "in probation until 31 Jan 2027" in response.content.decode()
    posting.refresh_from_db()
    assert posting.officer != newcomer


def _officer_page_data(officer, **new_posting):
    """The officer change form as the browser sends it, with one new posting in the inline."""
    data = {
        "collar_number": officer.collar_number,
        "first_name": officer.first_name,
        "last_name": officer.last_name,
        "rank": officer.rank,
        "role": officer.role,
        "bcu": officer.bcu_id,
        "status": officer.status,
        "probation_end_date": officer.probation_end_date.strftime("%d/%m/%Y") if officer.probation_end_date else "",
        "enhanced_vetting_date": officer.enhanced_vetting_date.strftime("%d/%m/%Y"),
        "user": "",
    }
    for prefix, model_rows in [
        ("suitability_assessments", officer.suitability_assessments.all()),
        ("training_records", officer.training_records.all()),
        ("postings", officer.postings.all()),
    ]:
        data[f"{prefix}-TOTAL_FORMS"] = len(model_rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(model_rows)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
    for index, assessment in enumerate(officer.suitability_assessments.all()):
        data.update(
            {
                f"suitability_assessments-{index}-id": assessment.pk,
                f"suitability_assessments-{index}-officer": officer.pk,
                f"suitability_assessments-{index}-assessed_on": assessment.assessed_on.strftime("%d/%m/%Y"),
                f"suitability_assessments-{index}-panel_included_young_people": "on",
                f"suitability_assessments-{index}-outcome": assessment.outcome,
                f"suitability_assessments-{index}-notes": "",
            }
        )
    for index, record in enumerate(officer.training_records.all()):
        data.update(
            {
                f"training_records-{index}-id": record.pk,
                f"training_records-{index}-officer": officer.pk,
                f"training_records-{index}-course": record.course_id,
                f"training_records-{index}-completed_on": record.completed_on.strftime("%d/%m/%Y"),
                f"training_records-{index}-provider": record.provider,
                f"training_records-{index}-evidence_note": "",
                f"training_records-{index}-met_expectations_score": "",
                f"training_records-{index}-safeguarding_confidence_score": "",
            }
        )
    for index, posting in enumerate(officer.postings.all()):
        data[f"postings-{index}-id"] = posting.pk
        data[f"postings-{index}-officer"] = officer.pk
    data.update(
        {
            "postings-2-TOTAL_FORMS": 1,
            "postings-2-INITIAL_FORMS": 0,
            "postings-2-MIN_NUM_FORMS": 0,
            "postings-2-MAX_NUM_FORMS": 1000,
            "postings-2-0-officer": officer.pk,
            "postings-2-0-role": "primary",
            "postings-2-0-start_date": "01/09/2026",
            "postings-2-0-end_date": "",
            "postings-2-0-justification": "",
            **{f"postings-2-0-{name}": value for name, value in new_posting.items()},
        }
    )
    return data


def test_officer_page_refuses_a_new_posting_of_an_ineligible_officer(manager_client, bcu_manager):
    officer = make_eligible_officer(on=START, probation_end_date=START)
    officer.bcu.managers.add(bcu_manager)
    data = _officer_page_data(officer, school=SchoolFactory().pk)
    response = manager_client.post(reverse("admin:officers_officer_change", args=[officer.pk]), data)
    assert response.status_code == 200
    assert "in probation until 1 Sep 2026 (start date 1 Sep 2026)" in response.content.decode()
    assert not Posting.objects.exists()


def test_officer_page_adds_a_posting_through_the_service(manager_client, bcu_manager):
    officer = make_eligible_officer(on=START)
    officer.bcu.managers.add(bcu_manager)
    school = SchoolFactory()
    data = _officer_page_data(officer, school=school.pk)
    response = manager_client.post(reverse("admin:officers_officer_change", args=[officer.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    posting = Posting.objects.get()
    assert (posting.officer, posting.school, posting.created_by) == (officer, school, bcu_manager)


def test_officer_page_override_by_a_manager_is_stored(manager_client, bcu_manager):
    officer = make_eligible_officer(on=START, probation_end_date=START)
    officer.bcu.managers.add(bcu_manager)
    data = _officer_page_data(officer, school=SchoolFactory().pk, justification=JUSTIFICATION)
    assert manager_client.post(reverse("admin:officers_officer_change", args=[officer.pk]), data).status_code == 302
    assert Posting.objects.get().override_justification == JUSTIFICATION


def test_staff_user_outside_the_manager_group_cannot_add_postings(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:officers_posting_add")).status_code == 403


EDIT_PAGES = {
    "posting add": lambda: reverse("admin:officers_posting_add"),
    "officer page": lambda: reverse("admin:officers_officer_change", args=[make_eligible_officer(on=START).pk]),
    "training record add": lambda: reverse("admin:officers_trainingrecord_add"),
    "assessment add": lambda: reverse("admin:officers_suitabilityassessment_add"),
}


@pytest.mark.parametrize("role", ROLE_USERS)
@pytest.mark.parametrize("page", EDIT_PAGES)
def test_edit_page_access_by_role(client_as, role, page):
    url = EDIT_PAGES[page]()
    assert client_as(role).get(url).status_code == EXPECTED_STATUS[role]


def test_officer_page_shows_why_the_officer_cannot_be_posted_today(manager_client):
    officer = make_eligible_officer(on=timezone.localdate(), enhanced_vetting_date=None)
    content = manager_client.get(reverse("admin:officers_officer_change", args=[officer.pk])).content.decode()
    assert "<li>No enhanced vetting is recorded.</li>" in content


def test_vacancy_link_opens_the_posting_form_with_the_school_chosen(manager_client):
    school = SchoolFactory(name="Vacant Academy")
    response = manager_client.get(reverse("admin:officers_posting_add"), {"school": school.pk, "role": "primary"})
    assert response.context["adminform"].form.initial["school"] == str(school.pk)


def test_posting_changelist_filters_overridden_postings(manager_client):
    PostingFactory(school__name="Overridden Academy", override_justification=JUSTIFICATION)
    PostingFactory(school__name="Checked Academy")
    content = manager_client.get(reverse("admin:officers_posting_changelist"), {"overridden": "yes"}).content.decode()
    assert "Overridden Academy" in content
    assert "Checked Academy" not in content
