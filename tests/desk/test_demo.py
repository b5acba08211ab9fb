"""The demo data shows the start page's every state, for the demo manager (Riverbank) and the force."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, demo):
    client.force_login(get_user_model().objects.get(username="bcu.manager"))
    return lambda **params: client.get(reverse("desk:start"), params).context


def test_the_demo_manager_lands_on_riverbank_with_vacant_high_band_schools(desk):
    context = desk()

    assert context["scope"].label == "Riverbank BCU"
    assert context["vacant_high"]


def test_the_demo_has_covered_and_vacant_schools(desk):
    bands = desk(bcu="all")["bands"]

    assert sum(row.covered for row in bands) > 0
    assert sum(row.vacant for row in bands) > 0
    assert len(desk(bcu="all")["map_rows"]) == sum(row.schools for row in bands)


def test_the_demo_has_officers_blocked_for_different_reasons(desk):
    figures = desk(bcu="all")["eligibility"]

    assert figures.eligible > 0
    assert len({kind.split(":")[0] for kind, _, _ in figures.by_reason}) >= 3


def test_the_demo_has_something_waiting_of_each_kind_but_searches(desk):
    workload = desk(bcu="all")["workload"]

    assert workload.training_expiring > 0
    assert workload.postings_due_for_review > 0
    assert workload.concerns_unanswered > 0
