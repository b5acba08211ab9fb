import datetime

import pytest

from access.roles import PortalRoles
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import SchoolFactory

POSTED_ON = datetime.date(2024, 9, 2)


@pytest.fixture
def school(db):
    return SchoolFactory(name="Alder Academy")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Birch High")


@pytest.fixture
def sso_user(school):
    user = UserFactory(username="sso-a")
    PostingFactory(officer=OfficerFactory(user=user), school=school, start_date=POSTED_ON)
    return user


@pytest.fixture
def officer(sso_user):
    return sso_user.officer


@pytest.fixture
def roles(sso_user):
    return PortalRoles(sso_user)


@pytest.fixture
def sso_client(client, sso_user):
    client.force_login(sso_user)
    return client
