"""Who reads which workspace records, and how an activity names itself."""

import datetime

import pytest

from access.roles import PortalRoles
from tests.factories.officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import DSLContactFactory
from tests.factories.workspace import ActivityFactory, ObjectiveFactory, YouthServiceFactory
from workspace.models import Activity, Objective, YouthService

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsl_roles(school):
    user = UserFactory(username="dsl-a")
    DSLContactFactory(school=school, user=user)
    return PortalRoles(user)


def test_a_bcu_manager_reads_every_officers_activities(school, other_school):
    ActivityFactory(school=school)
    ActivityFactory(school=other_school)
    assert Activity.objects.visible_to(PortalRoles(BCUManagerFactory())).count() == 2


def test_a_dsl_reads_no_activity_of_their_schools_officer(officer, school, dsl_roles):
    ActivityFactory(officer=officer, school=school)
    assert not Activity.objects.visible_to(dsl_roles).exists()


def test_an_activity_is_named_by_its_category_school_and_day(school):
    activity = ActivityFactory(school=school, occurred_on=datetime.date(2026, 11, 2))
    assert str(activity) == f"{activity.category} at {school} on 02 Nov 2026"


def test_an_sso_reads_the_objectives_of_postings_at_their_schools_only(roles, school, other_school):
    ours = ObjectiveFactory(posting=PostingFactory(officer=OfficerFactory(), school=school))
    ObjectiveFactory(posting=PostingFactory(officer=OfficerFactory(), school=other_school))
    assert list(Objective.objects.visible_to(roles)) == [ours]


def test_a_bcu_manager_reads_every_youth_service(school):
    YouthServiceFactory()
    YouthServiceFactory()
    assert YouthService.objects.visible_to(PortalRoles(BCUManagerFactory())).count() == 2


def test_a_dsl_reads_no_youth_service(school, dsl_roles):
    YouthServiceFactory(ward=school.ward)
    assert not YouthService.objects.visible_to(dsl_roles).exists()
