import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken
from api.services import issue_api_token
from tests.factories.api import ApiClientFactory
from tests.factories.officers import OfficerFactory, UserFactory
from tests.factories.roles import council_reader
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = {
    "admin:api_apiclient_changelist": lambda: ApiClientFactory(),
    "admin:api_apitoken_changelist": lambda: issue_api_token(client=ApiClientFactory())[0],
}


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(manager_client, url_name):
    for _ in range(2):
        CHANGELISTS[url_name]()
    with_two = _queries_for(manager_client, reverse(url_name))
    for _ in range(10):
        CHANGELISTS[url_name]()
    assert _queries_for(manager_client, reverse(url_name)) == with_two


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_staff_user_outside_the_manager_group_is_forbidden(client, url_name):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse(url_name)).status_code == 403


NON_STAFF_LOGINS = {
    "council reader": council_reader,
    "sso": lambda: OfficerFactory(user=UserFactory()).user,
    "dsl": lambda: DSLContactFactory(user=UserFactory()).user,
}


@pytest.mark.parametrize("role", NON_STAFF_LOGINS)
@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_non_staff_roles_are_sent_to_the_admin_login(client, url_name, role):
    client.force_login(NON_STAFF_LOGINS[role]())
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_anonymous_is_sent_to_the_admin_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_public_and_hold_no_data(client, url):
    SchoolFactory(name="Hidden Data School")
    response = client.get(url)
    assert response.status_code == 200
    assert b"Hidden Data School" not in response.content


def test_issue_token_action_shows_the_secret_once_and_stores_its_hash(manager_client):
    api_client = ApiClientFactory()
    response = manager_client.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "issue_token", "_selected_action": [api_client.pk]},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(client=api_client)
    secret = next(word for word in response.content.decode().split("<code>") if word.startswith(token.prefix))
    secret = secret.split("</code>")[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.secret_hash


def test_revoke_action_revokes_the_selected_tokens(manager_client):
    token, _ = issue_api_token(client=ApiClientFactory())
    manager_client.post(reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_cannot_be_added_through_the_admin_form(manager_client):
    assert manager_client.get(reverse("admin:api_apitoken_add")).status_code == 403


def test_tokens_are_revoked_never_deleted_in_the_admin(manager_client):
    token, _ = issue_api_token(client=ApiClientFactory())
    assert manager_client.get(reverse("admin:api_apitoken_delete", args=[token.pk])).status_code == 403
    manager_client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "delete_selected", "_selected_action": [token.pk]}
    )
    assert type(token).objects.filter(pk=token.pk).exists()


def test_create_api_token_prints_a_secret_that_authenticates():
    api_client = ApiClientFactory(name="Riverbank Council")
    out = StringIO()
    call_command("create_api_token", "--client", "Riverbank Council", "--days", "30", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(client=api_client)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()


def test_create_api_token_names_the_known_clients_when_the_name_is_wrong():
    ApiClientFactory(name="Hartwell Council")
    with pytest.raises(CommandError, match="Hartwell Council"):
        call_command("create_api_token", "--client", "Nowhere")


def test_create_api_token_refuses_a_lifetime_under_a_day():
    ApiClientFactory(name="Riverbank Council")
    with pytest.raises(CommandError, match="--days"):
        call_command("create_api_token", "--client", "Riverbank Council", "--days", "0")


def test_unknown_scope_is_refused_with_a_field_error():
    from django.core.exceptions import ValidationError

    from api.services import create_api_client

    with pytest.raises(ValidationError) as error:
        create_api_client(name="X", local_authorities=[], scopes=["everything:write"])
    assert "scopes" in error.value.message_dict


def test_swagger_ui_loads_its_assets_from_our_static_files_not_a_cdn(client):
    response = client.get("/api/docs/")
    assert b"cdn.jsdelivr.net" not in response.content
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
