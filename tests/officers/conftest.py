import pytest
from django.contrib.auth.models import Group

from ssoportal.migration_helpers import COUNCIL_READER_GROUP
from tests.factories.officers import BCUManagerFactory, OfficerFactory, UserFactory
from tests.factories.schools import DSLContactFactory


def _council_reader():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=COUNCIL_READER_GROUP))
    return user


def _sso():
    return OfficerFactory(user=UserFactory()).user


def _dsl():
    return DSLContactFactory(user=UserFactory()).user


# role -> a function making a user of that role (None: not logged in)
ROLE_USERS = {
    "anonymous": lambda: None,
    "bcu_manager": BCUManagerFactory,
    "council_reader": _council_reader,
    "sso": _sso,
    "dsl": _dsl,
    "plain_staff": lambda: UserFactory(is_staff=True),
}

# What each role gets from a BCU-manager admin page: staff outside the manager group are
# refused, everyone else is sent to the admin log-in.
EXPECTED_STATUS = {
    "anonymous": 302,
    "bcu_manager": 200,
    "council_reader": 302,
    "sso": 302,
    "dsl": 302,
    "plain_staff": 403,
}


@pytest.fixture
def client_as(client, db):
    """Log the test client in as a user of the named role (see ROLE_USERS)."""

    def login(role: str):
        user = ROLE_USERS[role]()
        if user is not None:
            client.force_login(user)
        return client

    return login
