"""Property-based run of every operation in the OpenAPI schema with every Schemathesis check
(no 5xx; status codes, content types, headers and bodies as documented; valid data accepted,
invalid data rejected; no answer without a token), in positive and negative modes.
SCHEMATHESIS_EXAMPLES sets the examples per operation and mode (25 in the suite; the contract
was run at 100)."""

import datetime
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

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
def _dates_in_order(case) -> bool:
    query = case.query or {}
    return not ("date_from" in query and "date_to" in query and str(query["date_from"]) > str(query["date_to"]))


def _month_over(case) -> bool:
    month = (case.query or {}).get("month")
    return not isinstance(month, str) or month < f"{datetime.date.today():%Y-%m}"


EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
@pytest.mark.parametrize(("path", "method"), _operations())
def test_api_operation_keeps_its_contract(api_schema, council_with_data, path, method, mode):
    secret = council_with_data.secret

    @api_schema.auth()
    class CouncilToken:
        # Declared as the schema's auth, so negative cases do not count its header as theirs.
        def get(self, case, context):
            return secret

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    operation = api_schema[path][method]

    strategy = operation.as_strategy(generation_mode=mode)
    if mode == GenerationMode.POSITIVE:
        # A schema cannot say that date_from comes no later than date_to: that 400 is tested
        # on its own (test_statistics.py), and left out of the schema-valid cases here.
        strategy = strategy.filter(_dates_in_order)
        # Nor that a month must be over (it depends on the day): that 400 is tested on its own too.
        strategy = strategy.filter(_month_over)

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate()

    check()
