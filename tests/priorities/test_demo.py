import pytest
from django.core.management import call_command

from priorities.models import CrimeAggregate, PartnerAdvice, PriorityRun
from priorities.selectors import latest_scores
from schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def test_demo_data_populates_the_priority_list(demo):
    assert latest_scores().count() == School.objects.open().count() == 60
    assert CrimeAggregate.objects.exists() and PartnerAdvice.objects.count() == 5
    assert set(latest_scores().values_list("band", flat=True)) == {"high", "medium", "low"}


def test_loading_the_demo_twice_creates_no_more_priority_data(demo):
    counts = (CrimeAggregate.objects.count(), PartnerAdvice.objects.count(), PriorityRun.objects.count())
    call_command("load_demo")
    assert (CrimeAggregate.objects.count(), PartnerAdvice.objects.count(), PriorityRun.objects.count()) == counts
