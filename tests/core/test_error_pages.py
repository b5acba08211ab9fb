"""Server errors get a static page in the portal's style, a database outage a 503 saying nothing
was saved; each is logged once; neither page reads the database."""

import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsl_client(dsl_user):
    client = Client(raise_request_exception=False)
    client.force_login(dsl_user)
    return client


@pytest.fixture
def dsl_user(db):
    from tests.factories.officers import UserFactory
    from tests.factories.schools import DSLContactFactory

    user = UserFactory(username="dsl")
    DSLContactFactory(user=user)
    return user


def _failing_concern_list(error: Exception):
    return mock.patch("safeguarding.views.selectors.concern_list", side_effect=error)


@pytest.mark.parametrize(
    "error",
    [OperationalError("could not connect to server: Connection refused"), InterfaceError("connection already closed")],
    ids=["operational", "interface"],
)
def test_a_database_outage_answers_503_saying_nothing_was_saved(dsl_client, error):
    with _failing_concern_list(error):
        response = dsl_client.get(reverse("safeguarding:concern-list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "Nothing you entered on this page has been saved." in page
    assert "govuk-header" in page and "/static/govuk/portal" in page


def test_any_other_error_answers_the_static_500_page(dsl_client):
    with _failing_concern_list(ZeroDivisionError("bug")):
        response = dsl_client.get(reverse("safeguarding:concern-list"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Server Error (500)" not in page and "ZeroDivisionError" not in page


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), ZeroDivisionError("bug")])
def test_each_failure_is_logged_once_with_its_traceback(dsl_client, caplog, error):
    caplog.set_level(logging.INFO)
    with _failing_concern_list(error):
        dsl_client.get(reverse("safeguarding:concern-list"))
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].name == "django.request" and errors[0].exc_info is not None


def test_the_error_pages_read_nothing_from_the_database(rf):
    from core.views import server_error

    request = rf.get("/portal/")
    with CaptureQueriesContext(connection) as queries:
        try:
            raise OperationalError("the database is gone")
        except OperationalError:
            unavailable = server_error(request)
        try:
            raise ValueError("bug")
        except ValueError:
            failed = server_error(request)
    assert (unavailable.status_code, failed.status_code) == (503, 500)
    assert len(queries) == 0
