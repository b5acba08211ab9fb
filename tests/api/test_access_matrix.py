"""Every role and client against every council endpoint."""

import pytest

from api.models import Scope
from tests.factories.officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.roles import council_reader
from tests.factories.schools import DSLContactFactory

from .conftest import make_council
from .endpoints import DETAIL_ENDPOINT_IDS, DETAIL_ENDPOINTS, ENDPOINT_IDS, ENDPOINTS

pytestmark = pytest.mark.django_db


def _sso():
    officer = OfficerFactory(user=UserFactory())
    PostingFactory(officer=officer)
    return officer.user


def _dsl():
    return DSLContactFactory(user=UserFactory()).user


PORTAL_LOGINS = {
    "bcu manager": BCUManagerFactory,
    "council reader": council_reader,
    "sso": _sso,
    "dsl": _dsl,
    "plain staff": lambda: UserFactory(is_staff=True),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_anonymous_gets_401(client, endpoint):
    assert client.get(endpoint.list_url).status_code == 401


@pytest.mark.parametrize("role", PORTAL_LOGINS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_portal_login_without_token_gets_401(client, endpoint, role):
    # The API is for council systems only: a portal session is not a credential here.
    client.force_login(PORTAL_LOGINS[role]())
    assert client.get(endpoint.list_url).status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_client_without_the_scope_gets_403(endpoint):
    council = make_council(scopes=[scope for scope in Scope.values if scope != endpoint.scope])
    row = endpoint.make_row(council.authority)
    assert council.http.get(endpoint.list_url).status_code == 403
    if endpoint.has_detail:
        assert council.http.get(endpoint.detail_url(row)).status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_client_with_only_that_scope_gets_200(endpoint):
    council = make_council(scopes=[endpoint.scope])
    row = endpoint.make_row(council.authority)
    assert council.http.get(endpoint.list_url).status_code == 200
    if endpoint.has_detail:
        assert council.http.get(endpoint.detail_url(row)).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_list_holds_only_rows_of_the_clients_own_local_authorities(council, other_council, endpoint):
    mine = endpoint.make_row(council.authority)
    endpoint.make_row(other_council.authority)
    assert endpoint.keys(council.http.get(endpoint.list_url)) == [endpoint.key_of_row(mine)]


@pytest.mark.parametrize("endpoint", DETAIL_ENDPOINTS, ids=DETAIL_ENDPOINT_IDS)
def test_another_local_authoritys_row_is_404(council, other_council, endpoint):
    theirs = endpoint.make_row(other_council.authority)
    assert council.http.get(endpoint.detail_url(theirs)).status_code == 404
    assert other_council.http.get(endpoint.detail_url(theirs)).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_client_granted_no_local_authority_sees_nothing(endpoint):
    council = make_council()
    row = endpoint.make_row(council.authority)
    council.client.local_authorities.clear()
    assert council.http.get(endpoint.list_url).json()["count"] == 0
    if endpoint.has_detail:
        assert council.http.get(endpoint.detail_url(row)).status_code == 404


SEARCH_STATISTICS = "/api/v1/search-statistics/?month=2026-10&group_by=age_band"


@pytest.mark.parametrize("role", PORTAL_LOGINS)
def test_portal_login_without_token_gets_401_on_search_statistics(client, role):
    client.force_login(PORTAL_LOGINS[role]())
    assert client.get(SEARCH_STATISTICS).status_code == 401


def test_council_gets_its_search_statistics_and_anonymous_gets_401(client, council):
    assert client.get(SEARCH_STATISTICS).status_code == 401
    assert council.http.get(SEARCH_STATISTICS).status_code == 200
