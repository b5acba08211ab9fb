"""The cast of the safeguarding tests: two schools (A and B) and a user for every role."""

import datetime

import pytest

from tests.factories.officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.roles import council_reader as make_council_reader
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Attachments go to a temporary folder.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def school_a(db):
    return SchoolFactory(name="Alder School")


@pytest.fixture
def school_b(db):
    return SchoolFactory(name="Birch School")


@pytest.fixture
def dsl_a(school_a):
    user = UserFactory(username="dsl-a", first_name="Dana", last_name="Lead")
    DSLContactFactory(school=school_a, user=user, email="dsl-a@school.invalid")
    return user


@pytest.fixture
def dsl_b(school_b):
    user = UserFactory(username="dsl-b")
    DSLContactFactory(school=school_b, user=user, email="dsl-b@school.invalid")
    return user


@pytest.fixture
def staff_a(school_a):
    """A member of school A's staff (a login invited by its DSL)."""
    user = UserFactory(username="staff-a", first_name="Sam", last_name="Teacher", email="staff-a@school.invalid")
    SchoolStaffFactory(school=school_a, user=user)
    return user


@pytest.fixture
def sso_a(school_a):
    user = UserFactory(username="sso-a", email="sso-a@police.invalid")
    PostingFactory(officer=OfficerFactory(user=user), school=school_a, start_date=datetime.date(2020, 1, 1))
    return user


@pytest.fixture
def council_reader(school_a):
    """A council reader of school A's local authority."""
    user = make_council_reader(username="council")
    school_a.local_authority.council_readers.add(user)
    return user


@pytest.fixture
def manager(db):
    return BCUManagerFactory(username="manager")


@pytest.fixture
def plain_staff(db):
    return UserFactory(username="staff", is_staff=True)


@pytest.fixture
def concern_a(school_a, dsl_a):
    return ConcernFactory(school=school_a, logged_by=dsl_a)


@pytest.fixture
def shared_concern_a(school_a, dsl_a):
    from django.utils import timezone

    return ConcernFactory(school=school_a, logged_by=dsl_a, shared_with_police=True, shared_at=timezone.now())


@pytest.fixture
def concern_b(school_b, dsl_b):
    return ConcernFactory(school=school_b, logged_by=dsl_b)
