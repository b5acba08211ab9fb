"""A BCU manager's saves in the workspace admin go through the services, and the objective page shows progress."""

import datetime

import pytest
from django.urls import reverse

from tests.factories.officers import PostingFactory
from tests.factories.schools import SchoolFactory, WardFactory
from tests.factories.workspace import ActivityFactory, ObjectiveFactory, category
from workspace.models import ActivityDetails, Operator, Relationship, TouchdownPoint, YouthService

pytestmark = pytest.mark.django_db


def test_a_touchdown_point_set_in_the_admin_records_the_manager_who_set_it(manager_client, bcu_manager):
    school = SchoolFactory()
    response = manager_client.post(
        reverse("admin:workspace_touchdownpoint_add"),
        {"school": school.pk, "room": "Library office", "access_notes": "Sign in at reception."},
    )
    assert response.status_code == 302
    assert TouchdownPoint.objects.get(school=school).updated_by == bcu_manager


def test_a_manager_adds_a_youth_service_in_the_admin(manager_client, bcu_manager):
    ward = WardFactory()
    response = manager_client.post(
        reverse("admin:workspace_youthservice_add"),
        {
            "ward": ward.pk,
            "name": "Riverside Boxing Club",
            "operator": Operator.VOLUNTARY,
            "what_it_offers": "",
            "contact_name": "",
            "contact_email": "",
            "contact_phone": "",
            "relationship": Relationship.DEVELOPING,
            "last_contact_on": "",
            "last_contact_by": "",
        },
    )
    assert response.status_code == 302
    assert YouthService.objects.get(name="Riverside Boxing Club").history.get().history_user == bcu_manager


def test_the_objective_page_shows_its_progress(manager_client):
    posting = PostingFactory(start_date=datetime.date(2024, 9, 2))
    support = category(ActivityDetails.SUPPORT)
    objective = ObjectiveFactory(posting=posting, category=support, target=12, period="posting")
    ActivityFactory(
        officer=posting.officer, school=posting.school, category=support, occurred_on=datetime.date(2025, 1, 6)
    )
    page = manager_client.get(reverse("admin:workspace_objective_change", args=[objective.pk])).content.decode()
    assert "1 of 12" in page
