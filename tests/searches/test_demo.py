import pytest
from django.core import serializers
from django.core.management import call_command

from searches.models import PupilPopulation, SearchRecord
from searches.services import search_rule_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def _snapshot() -> str:
    return serializers.serialize("json", SearchRecord.objects.order_by("pk"), fields=["reference", "searched_at"])


def test_demo_has_searches_of_every_type_and_some_referrals_still_due(demo):
    assert SearchRecord.objects.count() == 160
    assert set(SearchRecord.objects.values_list("search_type", flat=True)) == {
        "outer",
        "more_thorough",
        "eip",
        "strip",
    }
    assert SearchRecord.objects.referral_due().exists()
    assert SearchRecord.objects.intimate().of_children().exclude(referral_reference="").exists()
    assert len(set(SearchRecord.objects.values_list("self_defined_ethnicity", flat=True))) > 10
    assert PupilPopulation.objects.count() == 40
    assert all(not search_rule_errors(search) for search in SearchRecord.objects.all())


def test_demo_searches_load_once(demo):
    before = _snapshot()
    call_command("load_demo")
    assert _snapshot() == before
    assert PupilPopulation.objects.count() == 40
