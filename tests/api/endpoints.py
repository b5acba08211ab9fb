"""The council endpoints under test: how to make one row in a given LA, and its detail URL."""

from dataclasses import dataclass
from typing import Any

from api.models import Scope
from tests.factories.officers import PostingFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory


@dataclass(frozen=True)
class Endpoint:
    name: str
    list_url: str
    scope: str

    def make_row(self, authority) -> Any:
        return ROW_MAKERS[self.name](authority)

    def detail_url(self, row) -> str:
        key = row.urn if self.name == "schools" else row.pk
        return f"{self.list_url}{key}/"


ROW_MAKERS = {
    "schools": lambda la: SchoolFactory(local_authority=la),
    "postings": lambda la: PostingFactory(school__local_authority=la),
    "dsl-contacts": lambda la: DSLContactFactory(school__local_authority=la),
}

ENDPOINTS = [
    Endpoint("schools", "/api/v1/schools/", Scope.SCHOOLS_READ),
    Endpoint("postings", "/api/v1/postings/", Scope.POSTINGS_READ),
    Endpoint("dsl-contacts", "/api/v1/dsl-contacts/", Scope.DSL_READ),
]
ENDPOINT_IDS = [endpoint.name for endpoint in ENDPOINTS]
