import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from invitations.demo import DEMO_FORCE_LEAD_PASSWORD, DEMO_FORCE_LEAD_USERNAME

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    # pytest-django runs with DEBUG off; the demo loader is a development tool.
    settings.DEBUG = True
    settings.PORTAL_BASE_URL = "http://testserver"


def test_the_demo_force_lead_invites_officers_in_the_admin(client, capsys):
    call_command("load_demo")
    assert f"{DEMO_FORCE_LEAD_USERNAME} / {DEMO_FORCE_LEAD_PASSWORD}" in capsys.readouterr().out
    lead = get_user_model().objects.get(username=DEMO_FORCE_LEAD_USERNAME)
    assert lead.check_password(DEMO_FORCE_LEAD_PASSWORD)
    client.force_login(lead)

    assert client.get(reverse("admin:invitations_invitation_add")).status_code == 200


def test_the_demo_prints_a_pending_invitation_link_that_opens(client, capsys):
    call_command("load_demo")
    link = re.search(
        r"http://testserver(/invitations/[0-9a-f]{64}/)", capsys.readouterr().out.split("Demo data ready")[1]
    )

    response = client.get(link[1])

    assert response.status_code == 200
    assert "Create your login" in response.content.decode()
