import datetime

import pytest
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from core.reminders import reminders_due
from workspace.models import Activity, ActivityDetails, Objective, TouchdownPoint, YouthService

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def _snapshot() -> str:
    querysets = [Activity.objects, Objective.objects, TouchdownPoint.objects, YouthService.objects]
    return "".join(
        serializers.serialize("json", qs.order_by("pk"), fields=["school", "ward", "posting", "occurred_on", "name"])
        for qs in querysets
    )


def test_demo_has_every_kind_of_workspace_record(demo):
    shapes = set(Activity.objects.values_list("category__details", flat=True))
    assert shapes == set(ActivityDetails.values)
    assert Activity.objects.exclude(referral_outcome="").exists()
    assert Objective.objects.exists() and TouchdownPoint.objects.exists()
    assert YouthService.objects.values("operator").distinct().count() == 3


def test_demo_has_concerns_the_sso_passed_to_the_dsl_one_shared_back(demo):
    from safeguarding.models import Concern

    passed = Concern.objects.filter(raised_by_sso=True)
    assert passed.count() == 2 and passed.filter(shared_with_police=True).count() == 1


def test_demo_leaves_todays_daily_check_for_the_demo_sso_to_log(demo):
    assert not Activity.objects.filter(occurred_on=timezone.localdate(), category__details="visit").exists()


def test_demo_has_a_youth_service_whose_no_contact_reminder_is_due(demo):
    assert list(reminders_due("youth-service-no-contact", timezone.localdate() + datetime.timedelta(days=1)))


def test_load_demo_twice_creates_no_more_workspace_records(demo):
    before = _snapshot()
    call_command("load_demo")
    assert _snapshot() == before
