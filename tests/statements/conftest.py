import datetime

import pytest

from schools.models import StaffRole
from tests.factories.officers import UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory


@pytest.fixture
def school(db):
    return SchoolFactory(name="Alder Primary", urn="190001")


@pytest.fixture
def dsl(school):
    user = UserFactory(username="dsl-alder")
    DSLContactFactory(school=school, user=user, email="dsl@alder.invalid")
    return user


@pytest.fixture
def head(school):
    user = UserFactory(username="head-alder", email="head@alder.invalid", first_name="Morgan", last_name="Ashby")
    SchoolStaffFactory(school=school, user=user, role=StaffRole.HEAD_TEACHER)
    return user


@pytest.fixture
def today():
    return datetime.date(2026, 12, 6)
