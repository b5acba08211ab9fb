import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from officers.models import BCU, Officer, Posting
from schools.models import DSLContact, LocalAuthority, Phase, School

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    # pytest-django runs with DEBUG off; the demo loader is a development tool.
    settings.DEBUG = True


def _snapshot() -> str:
    querysets = [
        LocalAuthority.objects.all(),
        School.objects.all(),
        DSLContact.objects.all(),
        BCU.objects.all(),
        Officer.objects.all(),
        Posting.objects.all(),
    ]
    return "".join(
        serializers.serialize(
            "json",
            qs.order_by("pk"),
            fields=[f.name for f in qs.model._meta.concrete_fields if f.name not in ("created_at", "updated_at")],
        )
        for qs in querysets
    )


def test_load_demo_creates_the_demo_borough_set(demo):
    assert LocalAuthority.objects.count() == 2
    assert School.objects.count() == 60
    assert Officer.objects.count() == 15
    assert Posting.objects.exists()
    assert (
        School.objects.filter(phase=Phase.PRIMARY).exists() and School.objects.filter(phase=Phase.SECONDARY).exists()
    )
    fsm = sorted(School.objects.values_list("fsm_percentage", flat=True))
    assert fsm[0] < 15 < 35 < fsm[-1]  # a real spread of deprivation
    assert "bcu.manager / demo-manager-2026" in demo.output


def test_load_demo_twice_changes_nothing(demo):
    before = _snapshot()
    call_command("load_demo")
    assert _snapshot() == before


def test_demo_manager_signs_in_to_the_admin_setting_up_an_authenticator_app(client, demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories.mfa import code_for

    response = client.post(
        "/admin/login/?next=/admin/schools/school/",
        {"username": "bcu.manager", "password": "demo-manager-2026"},
        follow=True,
    )
    # Demo logins, like any other, set up an authenticator app at their first sign-in.
    assert response.redirect_chain[-1][0] == "/accounts/mfa/set-up/?next=/admin/schools/school/"
    device = TOTPDevice.objects.get(user__username="bcu.manager")
    response = client.post(response.redirect_chain[-1][0], {"code": code_for(device)}, follow=True)
    assert len(response.context["codes"]) == 10
    response = client.get(response.context["next"])
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/admin/schools/school/"


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo")
    assert not School.objects.exists()
