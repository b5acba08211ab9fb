"""Property-based run of every operation in the OpenAPI schema: no 5xx, and every 2xx body
matches its documented schema. Examples are limited to keep the suite quick."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from ssoportal.wsgi import application
from tests.factories.officers import PostingFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

from .conftest import make_council


@pytest.fixture
def council_with_data(db):
    council = make_council()
    for school in SchoolFactory.create_batch(3, local_authority=council.authority):
        PostingFactory(school=school)
        DSLContactFactory(school=school)
    return council


@pytest.fixture
def in_process_wsgi():
    # Requests go through the real WSGI handler inside the test transaction: Django must not
    # close the test's connection at request boundaries (its test client disconnects these too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(council_with_data, in_process_wsgi):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _operations() -> list[tuple[str, str]]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return [(path, method) for path, methods in document["paths"].items() for method in methods]


# (schemathesis.pytest.from_fixture does not run on pytest 9, so operations are parametrized here.)
@pytest.mark.parametrize(("path", "method"), _operations())
def test_api_operation_never_fails_on_the_server(api_schema, council_with_data, path, method):
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {council_with_data.secret}"}

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
        )

    check()
