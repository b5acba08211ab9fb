import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from invitations.demo import DEMO_FORCE_LEAD_PASSWORD, DEMO_FORCE_LEAD_USERNAME

pytestmark = pytest.mark.django_db


def test_the_demo_force_lead_invites_officers_in_the_admin(client, demo):
    assert f"{DEMO_FORCE_LEAD_USERNAME} / {DEMO_FORCE_LEAD_PASSWORD}" in demo.output
    lead = get_user_model().objects.get(username=DEMO_FORCE_LEAD_USERNAME)
    assert lead.check_password(DEMO_FORCE_LEAD_PASSWORD)
    client.force_login(lead)

    assert client.get(reverse("admin:invitations_invitation_add")).status_code == 200


def test_the_demo_prints_a_pending_invitation_link_that_opens(client, demo):
    link = re.search(r"https?://[^/\s]+(/invitations/[0-9a-f]{64}/)", demo.output.split("Demo data ready")[1])

    response = client.get(link[1])

    assert response.status_code == 200
    assert "Create your login" in response.content.decode()
