from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import issue_api_token
from tests.factories.api import ApiClientFactory
from tests.factories.schools import LocalAuthorityFactory


@dataclass
class Council:
    """A council API client with its granted LA and a ready-authenticated HTTP client."""

    client: object
    authority: object
    secret: str
    http: APIClient


def make_council(scopes=None, **client_fields) -> Council:
    authority = LocalAuthorityFactory()
    extra = {"scopes": scopes} if scopes is not None else {}
    api_client = ApiClientFactory(local_authorities=[authority], **extra, **client_fields)
    _, secret = issue_api_token(client=api_client)
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return Council(client=api_client, authority=authority, secret=secret, http=http)


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counts live in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council(db) -> Council:
    return make_council()


@pytest.fixture
def other_council(db) -> Council:
    return make_council()
