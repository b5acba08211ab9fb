"""The council list endpoints under test: how to make one row in a given LA, how a row is
keyed in results, and its detail URL (when the endpoint has one)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api.models import Scope
from tests.factories.officers import PostingFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory


@dataclass(frozen=True)
class Endpoint:
    name: str
    list_url: str
    scope: str
    make: Callable[[Any], Any]  # LA -> a model instance that shows as one row
    key_of_row: Callable[[Any], Any]  # that instance -> its key in results
    result_key: str  # the results field holding the key
    has_detail: bool = True

    def make_row(self, authority) -> Any:
        return self.make(authority)

    def detail_url(self, row) -> str:
        return f"{self.list_url}{self.key_of_row(row)}/"

    def keys(self, response) -> list:
        assert response.status_code == 200, response.content
        return [result[self.result_key] for result in response.json()["results"]]


ENDPOINTS = [
    Endpoint(
        "schools",
        "/api/v1/schools/",
        Scope.SCHOOLS_READ,
        lambda la: SchoolFactory(local_authority=la),
        lambda school: school.urn,
        "urn",
    ),
    Endpoint(
        "postings",
        "/api/v1/postings/",
        Scope.POSTINGS_READ,
        lambda la: PostingFactory(school__local_authority=la),
        lambda posting: posting.pk,
        "id",
    ),
    Endpoint(
        "dsl-contacts",
        "/api/v1/dsl-contacts/",
        Scope.DSL_READ,
        lambda la: DSLContactFactory(school__local_authority=la),
        lambda contact: contact.pk,
        "id",
    ),
    Endpoint(
        "training-compliance",
        "/api/v1/training-compliance/",
        Scope.TRAINING_READ,
        lambda la: PostingFactory(school__local_authority=la).officer,
        lambda officer: officer.collar_number,
        "collar_number",
        has_detail=False,
    ),
    Endpoint(
        "concern-statistics",
        "/api/v1/concern-statistics/",
        Scope.CONCERNS_STATS,
        lambda la: ConcernFactory(school__local_authority=la).school,
        lambda school: school.urn,
        "urn",
        has_detail=False,
    ),
]
ENDPOINT_IDS = [endpoint.name for endpoint in ENDPOINTS]
DETAIL_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint.has_detail]
DETAIL_ENDPOINT_IDS = [endpoint.name for endpoint in DETAIL_ENDPOINTS]
