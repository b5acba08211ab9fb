"""BCU managers' admin for the workspace, objectives' progress, and the youth-service reminder."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.reminders import reminders_due
from tests.factories.officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import SchoolFactory
from tests.factories.workspace import (
    ActivityFactory,
    ObjectiveFactory,
    TouchdownPointFactory,
    YouthServiceFactory,
    category,
)
from workspace.models import ActivityCategory, ActivityDetails, Objective, ObjectivePeriod, Relationship
from workspace.selectors import objective_progress, period_bounds

pytestmark = pytest.mark.django_db

CHANGELISTS = {
    "admin:workspace_activity_changelist": ActivityFactory,
    "admin:workspace_activitycategory_changelist": lambda: ActivityCategory.objects.create(
        name=f"Category {ActivityCategory.objects.count()}"
    ),
    "admin:workspace_touchdownpoint_changelist": TouchdownPointFactory,
    "admin:workspace_objective_changelist": ObjectiveFactory,
    "admin:workspace_youthservice_changelist": YouthServiceFactory,
}


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(manager_client, url_name):
    url = reverse(url_name)
    for _ in range(2):
        CHANGELISTS[url_name]()
    with_two = _queries_for(manager_client, url)
    for _ in range(20):
        CHANGELISTS[url_name]()
    assert _queries_for(manager_client, url) == with_two


def test_the_starting_categories_are_data(db):
    names = list(ActivityCategory.objects.active().values_list("name", flat=True))
    assert names == [
        "School visit or daily check",
        "PSHE or curriculum session",
        "One-to-one support or mentoring",
        "Diversion referral",
        "Post-incident support",
        "Youth service engagement",
    ]


def test_a_manager_adds_a_category_in_the_admin(manager_client):
    response = manager_client.post(
        reverse("admin:workspace_activitycategory_add"),
        {"name": "Assembly talk", "details": "session", "hint": "", "position": 70, "is_active": "on"},
    )
    assert response.status_code == 302
    assert ActivityCategory.objects.get(name="Assembly talk").details == ActivityDetails.SESSION


def test_a_manager_sets_an_objective_on_a_posting_and_sees_its_progress(manager_client):
    posting = PostingFactory(start_date=datetime.date(2024, 9, 2))
    support = category(ActivityDetails.SUPPORT)
    response = manager_client.post(
        reverse("admin:workspace_objective_add"),
        {"posting": posting.pk, "category": support.pk, "target": 12, "period": "posting", "description": ""},
    )
    assert response.status_code == 302
    objective = Objective.objects.get()
    assert objective.created_by is not None
    ActivityFactory(
        officer=posting.officer, school=posting.school, category=support, occurred_on=datetime.date(2025, 1, 6)
    )
    page = manager_client.get(reverse("admin:workspace_objective_changelist")).content.decode()
    assert "1 of 12" in page


@pytest.mark.parametrize(
    ("period", "on", "expected"),
    [
        (ObjectivePeriod.TERM, datetime.date(2027, 11, 20), (datetime.date(2027, 9, 1), datetime.date(2027, 12, 31))),
        (ObjectivePeriod.TERM, datetime.date(2027, 2, 1), (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))),
        (ObjectivePeriod.TERM, datetime.date(2027, 5, 1), (datetime.date(2027, 4, 1), datetime.date(2027, 8, 31))),
        (ObjectivePeriod.YEAR, datetime.date(2028, 5, 1), (datetime.date(2027, 9, 1), datetime.date(2028, 8, 31))),
        # Never before the posting started.
        (ObjectivePeriod.YEAR, datetime.date(2026, 10, 1), (datetime.date(2026, 9, 14), datetime.date(2027, 8, 31))),
        (
            ObjectivePeriod.POSTING,
            datetime.date(2026, 10, 1),
            (datetime.date(2026, 9, 14), datetime.date(2026, 10, 1)),
        ),
    ],
)
def test_an_objective_counts_the_term_year_or_posting(period, on, expected):
    objective = ObjectiveFactory.build(
        posting=PostingFactory.build(start_date=datetime.date(2026, 9, 14)), period=period
    )
    assert period_bounds(objective, on) == expected


def test_progress_counts_only_that_officer_school_category_and_period():
    posting = PostingFactory(start_date=datetime.date(2026, 9, 1))
    support = category(ActivityDetails.SUPPORT)
    objective = ObjectiveFactory(posting=posting, category=support, period=ObjectivePeriod.TERM, target=2)
    mine = {"officer": posting.officer, "school": posting.school}
    ActivityFactory(**mine, category=support, occurred_on=datetime.date(2026, 10, 1))
    ActivityFactory(**mine, category=support, occurred_on=datetime.date(2026, 11, 1))
    ActivityFactory(**mine, category=category(), occurred_on=datetime.date(2026, 11, 1))  # another category
    ActivityFactory(officer=posting.officer, category=support, occurred_on=datetime.date(2026, 11, 1))  # elsewhere
    ActivityFactory(school=posting.school, category=support, occurred_on=datetime.date(2026, 11, 1))  # another SSO
    [progress] = objective_progress(objectives=[objective], on=datetime.date(2026, 11, 20))
    assert (progress.done, progress.met) == (2, True)


def _ward_with_sso():
    school = SchoolFactory()
    user = UserFactory(email="sso@police.invalid")
    PostingFactory(officer=OfficerFactory(user=user), school=school, start_date=datetime.date(2020, 1, 1))
    return school


def test_a_youth_service_without_contact_for_three_months_is_reminded(settings):
    settings.YOUTH_SERVICE_CONTACT_MONTHS = 3
    BCUManagerFactory(email="manager@police.invalid")
    school = _ward_with_sso()
    quiet = YouthServiceFactory(ward=school.ward, last_contact_on=datetime.date(2026, 8, 1))
    YouthServiceFactory(ward=school.ward, last_contact_on=datetime.date(2026, 10, 1))  # recent
    YouthServiceFactory(ward=school.ward, relationship=Relationship.NOT_STARTED)  # no relationship to keep up
    [reminder] = reminders_due("youth-service-no-contact", datetime.date(2026, 11, 5))
    assert reminder.object_key == f"youthservice:{quiet.pk}"
    assert reminder.due_on == datetime.date(2026, 11, 1)
    assert set(reminder.recipients) == {"sso@police.invalid", "manager@police.invalid"}


def test_the_number_of_months_is_configurable(settings):
    settings.YOUTH_SERVICE_CONTACT_MONTHS = 6
    BCUManagerFactory(email="manager@police.invalid")
    school = _ward_with_sso()
    YouthServiceFactory(ward=school.ward, last_contact_on=datetime.date(2026, 8, 1))
    assert list(reminders_due("youth-service-no-contact", datetime.date(2026, 11, 5))) == []


def test_the_posting_page_shows_its_objectives_and_progress(manager_client):
    posting = PostingFactory(start_date=datetime.date(2024, 9, 2))
    support = category(ActivityDetails.SUPPORT)
    ObjectiveFactory(posting=posting, category=support, target=12, period=ObjectivePeriod.POSTING)
    ActivityFactory(
        officer=posting.officer, school=posting.school, category=support, occurred_on=datetime.date(2025, 1, 6)
    )
    page = manager_client.get(reverse("admin:officers_posting_change", args=[posting.pk])).content.decode()
    assert "One-to-one support or mentoring" in page and "1 of 12" in page


def test_the_posting_review_reminder_shows_progress_against_the_objectives():
    BCUManagerFactory(email="manager@police.invalid")
    posting = PostingFactory(start_date=datetime.date(2026, 1, 5))
    support = category(ActivityDetails.SUPPORT)
    ObjectiveFactory(posting=posting, category=support, target=12, period=ObjectivePeriod.TERM)
    ActivityFactory(
        officer=posting.officer, school=posting.school, category=support, occurred_on=datetime.date(2026, 9, 3)
    )
    [reminder] = reminders_due("posting-review", datetime.date(2026, 9, 4))
    assert "One-to-one support or mentoring: 1 of 12 per school term (01 Sep 2026 to 31 Dec 2026)" in reminder.body


def test_a_posting_review_reminder_without_objectives_is_unchanged():
    BCUManagerFactory(email="manager@police.invalid")
    PostingFactory(start_date=datetime.date(2026, 1, 5))
    [reminder] = reminders_due("posting-review", datetime.date(2026, 9, 4))
    assert "Objectives" not in reminder.body


@pytest.mark.parametrize("page", ["ward", "school"])
def test_the_ward_and_school_pages_list_the_wards_youth_services(manager_client, page):
    school = SchoolFactory()
    YouthServiceFactory(ward=school.ward, name="Canal Boxing Club", last_contact_on=datetime.date(2026, 11, 2))
    obj = school.ward if page == "ward" else school
    html = manager_client.get(reverse(f"admin:schools_{page}_change", args=[obj.pk])).content.decode()
    assert "Canal Boxing Club" in html and "2 Nov 2026" in html
