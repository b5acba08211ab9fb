import pytest

from tests.factories.officers import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def person(db):
    return UserFactory(username="person")


def sign_in_with_password(client, username: str, *, admin: bool = False, next_url: str | None = None):
    """The real sign-in form: after it, the session has passed the password only."""
    url = "/admin/login/" if admin else "/accounts/login/"
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)
