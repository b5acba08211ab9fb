import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officers.models import OfficerRole, OfficerStatus, PostingRole, TrainingCourse
from tests.factories.officers import (
    BCUFactory,
    OfficerFactory,
    PostingFactory,
    SuitabilityAssessmentFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    make_eligible_officer,
)
from tests.factories.roles import ADMIN_PAGE_STATUS as EXPECTED_STATUS
from tests.factories.roles import ROLE_USERS
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

REPORTS = [
    "admin:officers_officer_training_compliance",
    "admin:officers_officer_vacancies",
    "admin:officers_trainingcourse_evaluation",
]
ON = datetime.date(2026, 9, 1)


@pytest.mark.parametrize("role", ROLE_USERS)
@pytest.mark.parametrize("url_name", REPORTS)
def test_report_access_by_role(client_as, role, url_name):
    response = client_as(role).get(reverse(url_name))
    assert response.status_code == EXPECTED_STATUS[role]
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("url_name", "link"),
    [
        ("admin:officers_officer_changelist", "admin:officers_officer_training_compliance"),
        ("admin:officers_officer_changelist", "admin:officers_officer_vacancies"),
        ("admin:officers_trainingcourse_changelist", "admin:officers_trainingcourse_evaluation"),
    ],
)
def test_reports_are_linked_from_the_changelists(manager_client, url_name, link):
    assert reverse(link).encode() in manager_client.get(reverse(url_name)).content


@pytest.mark.parametrize("url_name", REPORTS)
def test_invalid_filter_is_a_400_naming_the_field(manager_client, url_name):
    response = manager_client.get(reverse(url_name), {"bcu": "999999"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_compliance_matrix_query_count_does_not_grow_with_officers(manager_client):
    url = reverse("admin:officers_officer_training_compliance")
    make_eligible_officer(on=ON)
    with_one = _queries(manager_client, url)
    for _ in range(10):
        make_eligible_officer(on=ON)
    assert _queries(manager_client, url) == with_one


def test_compliance_matrix_shows_each_status_and_filters_by_bcu(manager_client):
    shown = make_eligible_officer(on=ON, last_name="Shownson")
    make_eligible_officer(on=ON, last_name="Hiddenford")
    course = TrainingCourse.objects.get(code="SSO-SGC")
    shown.training_records.filter(course=course).delete()
    TrainingRecordFactory(officer=shown, course=course, completed_on=datetime.date(2025, 9, 20))
    shown.training_records.filter(course__code="SSO-ADB").delete()
    response = manager_client.get(
        reverse("admin:officers_officer_training_compliance"), {"bcu": shown.bcu_id, "on": "01/09/2026"}
    )
    content = response.content.decode()
    assert "Shownson" in content
    assert "Hiddenford" not in content
    assert 'class="compliance-expiring">Expiring within 30 days<br><small>expires 20 Sep 2026' in content
    assert 'class="compliance-missing">Missing' in content
    assert "Officers by status" in content and "Missing: 1" in content


def test_vacancies_list_schools_without_a_current_primary_sso(manager_client):
    bcu = BCUFactory()
    covered = SchoolFactory(bcu=bcu, name="Covered Academy")
    PostingFactory(school=covered, start_date=datetime.date(2020, 1, 1))
    secondary_only = SchoolFactory(bcu=bcu, name="Secondary Only School")
    PostingFactory(school=secondary_only, role=PostingRole.SECONDARY, start_date=datetime.date(2020, 1, 1))
    yeo_only = SchoolFactory(bcu=bcu, name="Youth Officer School")
    PostingFactory(school=yeo_only, officer__role=OfficerRole.YOUTH_ENGAGEMENT, start_date=datetime.date(2020, 1, 1))
    ended = SchoolFactory(bcu=bcu, name="Ended Posting School")
    PostingFactory(school=ended, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2026, 8, 31))
    SchoolFactory(bcu=BCUFactory(), name="Other BCU School")
    SchoolFactory(bcu=bcu, name="Closed School", status="closed")

    response = manager_client.get(reverse("admin:officers_officer_vacancies"), {"bcu": bcu.pk, "on": "01/09/2026"})
    content = response.content.decode()
    for vacant in ["Secondary Only School", "Youth Officer School", "Ended Posting School"]:
        assert vacant in content
    for not_listed in ["Covered Academy", "Other BCU School", "Closed School"]:
        assert not_listed not in content


def test_posting_ending_on_the_day_still_covers_the_school(manager_client):
    school = SchoolFactory(name="Last Day Academy")
    PostingFactory(school=school, start_date=datetime.date(2020, 1, 1), end_date=ON)
    response = manager_client.get(reverse("admin:officers_officer_vacancies"), {"on": "01/09/2026"})
    assert b"Last Day Academy" not in response.content


def test_vacancies_query_count_does_not_grow_with_schools(manager_client):
    url = reverse("admin:officers_officer_vacancies")
    SchoolFactory()
    with_one = _queries(manager_client, url)
    SchoolFactory.create_batch(10)
    assert _queries(manager_client, url) == with_one


def test_evaluation_report_shows_share_rating_four_or_five(manager_client):
    course = TrainingCourseFactory(name="Prevent awareness")
    for met, confidence in [(5, 4), (4, 2), (3, None), (1, 5)]:
        TrainingRecordFactory(course=course, met_expectations_score=met, safeguarding_confidence_score=confidence)
    content = manager_client.get(reverse("admin:officers_trainingcourse_evaluation")).content.decode()
    # 2 of 4 rated 4-5 for expectations; 2 of 3 who answered rated 4-5 for confidence.
    assert "<td>50.0%</td>" not in content  # the figure is shown with its number of answers
    assert "50.0% (4)" in content
    assert "66.7% (3)" in content


def test_evaluation_report_query_count_does_not_grow_with_courses(manager_client):
    url = reverse("admin:officers_trainingcourse_evaluation")
    with_seeded = _queries(manager_client, url)
    for course in TrainingCourseFactory.create_batch(5):
        TrainingRecordFactory(course=course, met_expectations_score=5)
    assert _queries(manager_client, url) == with_seeded


def test_evaluation_report_refuses_a_reversed_date_range(manager_client):
    response = manager_client.get(
        reverse("admin:officers_trainingcourse_evaluation"),
        {"completed_from": "02/09/2026", "completed_to": "01/09/2026"},
    )
    assert response.status_code == 400
    assert "must be on or before" in response.content.decode()


NEW_CHANGELISTS = {
    "admin:officers_trainingcourse_changelist": TrainingCourseFactory,
    "admin:officers_trainingrecord_changelist": TrainingRecordFactory,
    "admin:officers_suitabilityassessment_changelist": SuitabilityAssessmentFactory,
}


@pytest.mark.parametrize("url_name", NEW_CHANGELISTS)
def test_new_changelist_query_count_does_not_grow_with_rows(manager_client, url_name):
    url = reverse(url_name)
    NEW_CHANGELISTS[url_name].create_batch(2)
    with_two = _queries(manager_client, url)
    NEW_CHANGELISTS[url_name].create_batch(10)
    assert _queries(manager_client, url) == with_two


@pytest.mark.parametrize("role", ROLE_USERS)
@pytest.mark.parametrize("url_name", NEW_CHANGELISTS)
def test_new_changelist_access_by_role(client_as, role, url_name):
    assert client_as(role).get(reverse(url_name)).status_code == EXPECTED_STATUS[role]


def test_officer_page_query_count_does_not_grow_with_training_and_postings(manager_client):
    officer = make_eligible_officer(on=ON)
    url = reverse("admin:officers_officer_change", args=[officer.pk])
    PostingFactory(officer=officer)
    manager_client.get(url)  # warms the content-type cache used by the history button
    with_few = _queries(manager_client, url)
    for course in TrainingCourse.objects.all():
        TrainingRecordFactory.create_batch(3, officer=officer, course=course)
    SuitabilityAssessmentFactory.create_batch(3, officer=officer)
    PostingFactory.create_batch(5, officer=officer, role=PostingRole.SECONDARY)
    assert _queries(manager_client, url) == with_few


def test_officers_who_have_left_are_not_in_the_matrix(manager_client):
    make_eligible_officer(on=ON, last_name="Departed", status=OfficerStatus.LEFT)
    OfficerFactory(last_name="Stillhere")
    content = manager_client.get(reverse("admin:officers_officer_training_compliance")).content.decode()
    assert "Stillhere" in content
    assert "Departed" not in content


def test_school_whose_primary_sso_has_left_is_vacant(manager_client):
    school = SchoolFactory(name="Left Behind Academy")
    PostingFactory(school=school, officer__status=OfficerStatus.LEFT, start_date=datetime.date(2020, 1, 1))
    response = manager_client.get(reverse("admin:officers_officer_vacancies"))
    assert b"Left Behind Academy" in response.content
