import pytest

from .roles import ROLE_USERS


@pytest.fixture
def client_as(client, db):
    """A test client logged in as the named role (ROLE_USERS), or anonymous."""

    def log_in(role: str):
        user = ROLE_USERS[role]()
        if user is not None:
            client.force_login(user)
        return client

    return log_in
