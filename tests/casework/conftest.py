"""The cast of the casework tests: two schools (A and B) with their DSLs, and the other roles."""

import datetime

import pytest

from safeguarding.models import pupil_of
from tests.factories.officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.roles import council_reader as make_council_reader
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory


@pytest.fixture
def school_a(db):
    return SchoolFactory(name="Alder School", urn="900001")


@pytest.fixture
def school_b(db):
    return SchoolFactory(name="Birch School", urn="900002")


@pytest.fixture
def dsl_a(school_a):
    user = UserFactory(username="dsl-a", first_name="Dana", last_name="Lead")
    DSLContactFactory(school=school_a, user=user, email="dsl-a@school.invalid")
    return user


@pytest.fixture
def dsl_b(school_b):
    user = UserFactory(username="dsl-b", first_name="Bo", last_name="Deputy")
    DSLContactFactory(school=school_b, user=user, email="dsl-b@school.invalid")
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
def pupil_a(school_a, dsl_a):
    """A pupil of school A with one concern and a chronology action."""
    concern = ConcernFactory(
        school=school_a, logged_by=dsl_a, pupil_reference="AL-2026-001", description="Marker-transferred-concern"
    )
    ConcernActionFactory(concern=concern, summary="Marker-transferred-action", recorded_by=dsl_a)
    return pupil_of(school_a.pk, "AL-2026-001")


@pytest.fixture
def roles_of():
    from access.roles import PortalRoles

    return PortalRoles
