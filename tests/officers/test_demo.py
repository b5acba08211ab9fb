import pytest
from django.core.management import call_command
from django.utils import timezone

from officers.models import Officer, Posting, SuitabilityAssessment, TrainingRecord
from officers.selectors import ComplianceStatus, training_compliance
from officers.services import check_posting_eligibility

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_loaded(settings, demo):
    settings.DEBUG = True


def test_demo_has_eligible_and_ineligible_officers():
    today = timezone.localdate()
    results = [check_posting_eligibility(officer=o, start_date=today) for o in Officer.objects.all()]
    reasons = " ".join(reason for result in results for reason in result.reasons)
    assert sum(result.is_eligible for result in results) >= 5
    for expected in ["in probation", "more than 3 years old", "expired on", "has not been completed", "not passed"]:
        assert expected in reasons


def test_demo_matrix_shows_every_status():
    rows = training_compliance(officers=Officer.objects.all(), on=timezone.localdate())
    assert {cell.status for row in rows for cell in row.courses} == set(ComplianceStatus)


def test_demo_has_evaluation_scores():
    assert TrainingRecord.objects.filter(met_expectations_score__gte=4).exists()
    assert TrainingRecord.objects.filter(safeguarding_confidence_score__isnull=False).exists()


def test_demo_postings_of_ineligible_officers_carry_an_override():
    assert Posting.objects.exclude(override_justification="").exists()


def test_second_demo_run_creates_no_training_or_assessments():
    counts = (TrainingRecord.objects.count(), SuitabilityAssessment.objects.count(), Posting.objects.count())
    call_command("load_demo")
    assert (TrainingRecord.objects.count(), SuitabilityAssessment.objects.count(), Posting.objects.count()) == counts


def test_demo_manager_manages_riverbank_and_hartwell_has_no_manager():
    from officers.demo import DEMO_MANAGER_USERNAME
    from officers.models import BCU

    assert list(BCU.objects.get(code="RB-BCU").managers.values_list("username", flat=True)) == [DEMO_MANAGER_USERNAME]
    assert not BCU.objects.get(code="HW-BCU").managers.exists()
