import datetime
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import revoke_api_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/schools/"


def test_request_without_token_is_401_with_bearer_challenge():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_valid_token_is_accepted(council):
    assert council.http.get(URL).status_code == 200


def test_unknown_token_is_401(council):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION="Bearer sso_not-a-real-token")
    assert http.get(URL).status_code == 401


def test_malformed_authorization_header_is_401(council):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {council.secret} extra")
    assert http.get(URL).status_code == 401


def test_basic_auth_header_is_not_accepted(council):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert http.get(URL).status_code == 401


def test_expired_token_is_401(council):
    ApiToken.objects.filter(client=council.client).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert council.http.get(URL).status_code == 401


def test_token_expiring_in_the_future_still_works(council):
    ApiToken.objects.filter(client=council.client).update(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    assert council.http.get(URL).status_code == 200


def test_revoked_token_is_401(council):
    revoke_api_token(token=council.client.tokens.get())
    assert council.http.get(URL).status_code == 401


def test_token_of_deactivated_client_is_401(council):
    council.client.is_active = False
    council.client.save()
    assert council.http.get(URL).status_code == 401


@pytest.mark.parametrize("parameter", ["token", "access_token", "api_key"])
def test_token_in_url_is_refused_even_alone(council, parameter):
    response = APIClient().get(URL, {parameter: council.secret})
    assert response.status_code == 401
    assert "Authorization header" in response.json()["detail"]


def test_token_in_url_is_refused_even_with_a_valid_header(council):
    assert council.http.get(URL, {"token": council.secret}).status_code == 401


def test_only_the_hash_of_the_secret_is_stored(council):
    token = council.client.tokens.get()
    assert token.secret_hash == hashlib.sha256(council.secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert council.secret not in {str(value) for value in stored.values()}


def test_revoking_twice_keeps_the_first_revocation_time(council):
    token = revoke_api_token(token=council.client.tokens.get())
    first = token.revoked_at
    assert revoke_api_token(token=token).revoked_at == first


def test_a_token_that_is_not_ascii_is_401(council):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION="Bearer sso_caf\u00e9")

    response = http.get(URL)

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid, expired or revoked token."


def test_the_api_user_is_the_council_client_by_its_id_and_name(council):
    from api.authentication import ApiClientUser

    user = ApiClientUser(client=council.client)

    assert user.pk == council.client.pk
    assert str(user) == f"API client {council.client.name}"
