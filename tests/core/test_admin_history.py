"""Histories are read in the admin, never reverted: a revert saves a whole old version, past the
admin's read-only fields and the services' rules."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from api.models import ApiToken
from api.services import issue_api_token, revoke_api_token
from core.admin import NoHistoryRevertMixin
from tests.factories.api import ApiClientFactory

pytestmark = pytest.mark.django_db


def test_every_admin_with_a_history_refuses_reverts():
    with_history = [
        model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert with_history
    assert [
        type(model_admin).__name__ for model_admin in with_history if not isinstance(model_admin, NoHistoryRevertMixin)
    ] == []


def test_a_bcu_manager_cannot_revive_a_revoked_api_token_from_its_history(manager_client):
    token, _secret = issue_api_token(client=ApiClientFactory())
    before_revocation = token.history.latest()
    revoke_api_token(token=token)
    url = reverse("admin:api_apitoken_simple_history", args=[token.pk, before_revocation.history_id])

    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url, {})

    assert response.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
