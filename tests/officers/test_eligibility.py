import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from officers.models import OfficerStatus, SuitabilityOutcome, TrainingCourse
from officers.services import check_posting_eligibility, check_posting_eligibility_of
from tests.factories.officers import (
    SuitabilityAssessmentFactory,
    TrainingRecordFactory,
    make_eligible_officer,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)
ONE_DAY = datetime.timedelta(days=1)


def _safeguarding_course() -> TrainingCourse:
    # Seeded by migration 0007 with a 12-month validity.
    return TrainingCourse.objects.get(code="SSO-SGC")


def test_the_migration_seeds_four_required_courses():
    assert sorted(TrainingCourse.objects.filter(required_for_sso=True).values_list("category", flat=True)) == [
        "adultification_bias",
        "cultural_competency",
        "safeguarding_children",
        "trauma_informed",
    ]


def test_officer_meeting_every_requirement_is_eligible():
    eligibility = check_posting_eligibility(officer=make_eligible_officer(on=START), start_date=START)
    assert eligibility.is_eligible
    assert eligibility.reasons == []


def test_officer_whose_probation_ends_on_the_start_date_is_still_in_probation():
    officer = make_eligible_officer(on=START, probation_end_date=START)
    eligibility = check_posting_eligibility(officer=officer, start_date=START)
    assert not eligibility.is_eligible
    assert eligibility.reasons == ["The officer is in probation until 1 Sep 2026 (start date 1 Sep 2026)."]


def test_officer_whose_probation_ended_the_day_before_is_eligible():
    officer = make_eligible_officer(on=START, probation_end_date=START - datetime.timedelta(days=1))
    assert check_posting_eligibility(officer=officer, start_date=START).is_eligible


def test_officer_without_a_recorded_probation_end_is_not_eligible():
    officer = make_eligible_officer(on=START, probation_end_date=None)
    reasons = check_posting_eligibility(officer=officer, start_date=START).reasons
    assert reasons[0].startswith("No probation end date is recorded")


def test_vetting_exactly_three_years_old_on_the_start_date_is_too_old():
    officer = make_eligible_officer(on=START, enhanced_vetting_date=datetime.date(2023, 9, 1))
    eligibility = check_posting_eligibility(officer=officer, start_date=START)
    assert eligibility.reasons == ["Enhanced vetting granted 1 Sep 2023 is more than 3 years old on 1 Sep 2026."]


def test_vetting_one_day_under_three_years_old_is_accepted():
    officer = make_eligible_officer(on=START, enhanced_vetting_date=datetime.date(2023, 9, 2))
    assert check_posting_eligibility(officer=officer, start_date=START).is_eligible


def test_vetting_granted_after_the_start_date_does_not_count():
    officer = make_eligible_officer(on=START, enhanced_vetting_date=START + datetime.timedelta(days=1))
    reasons = check_posting_eligibility(officer=officer, start_date=START).reasons
    assert reasons == ["Enhanced vetting is only granted on 2 Sep 2026, after the start date 1 Sep 2026."]


def test_officer_without_vetting_is_not_eligible():
    officer = make_eligible_officer(on=START, enhanced_vetting_date=None)
    assert check_posting_eligibility(officer=officer, start_date=START).reasons == ["No enhanced vetting is recorded."]


def test_officer_without_a_suitability_assessment_is_not_eligible():
    officer = make_eligible_officer(on=START)
    officer.suitability_assessments.all().delete()
    reasons = check_posting_eligibility(officer=officer, start_date=START).reasons
    assert reasons == ["No suitability assessment (ability to engage with children) is recorded by 1 Sep 2026."]


def test_a_failed_latest_assessment_outweighs_an_earlier_pass():
    officer = make_eligible_officer(on=START)
    SuitabilityAssessmentFactory(officer=officer, assessed_on=datetime.date(2026, 8, 1), outcome="not_passed")
    reasons = check_posting_eligibility(officer=officer, start_date=START).reasons
    assert reasons == ["The latest suitability assessment, on 1 Aug 2026, was not passed."]


def test_an_assessment_passed_on_the_start_date_counts_but_one_after_does_not():
    officer = make_eligible_officer(on=START)
    officer.suitability_assessments.all().delete()
    SuitabilityAssessmentFactory(officer=officer, assessed_on=START + datetime.timedelta(days=1))
    assert not check_posting_eligibility(officer=officer, start_date=START).is_eligible
    SuitabilityAssessmentFactory(officer=officer, assessed_on=START, outcome=SuitabilityOutcome.PASSED)
    assert check_posting_eligibility(officer=officer, start_date=START).is_eligible


def test_missing_required_course_is_named():
    officer = make_eligible_officer(on=START)
    officer.training_records.filter(course=_safeguarding_course()).delete()
    reasons = check_posting_eligibility(officer=officer, start_date=START).reasons
    assert reasons == ["Required training \u201cSafeguarding children\u201d has not been completed by 1 Sep 2026."]


def test_training_expiring_on_the_start_date_is_expired():
    officer = make_eligible_officer(on=START)
    officer.training_records.filter(course=_safeguarding_course()).delete()
    TrainingRecordFactory(officer=officer, course=_safeguarding_course(), completed_on=datetime.date(2025, 9, 1))
    reasons = check_posting_eligibility(officer=officer, start_date=START).reasons
    assert reasons == [
        "Required training \u201cSafeguarding children\u201d expired on 1 Sep 2026, "
        "on or before the start date 1 Sep 2026."
    ]


def test_training_expiring_the_day_after_the_start_date_is_current():
    officer = make_eligible_officer(on=START)
    officer.training_records.filter(course=_safeguarding_course()).delete()
    TrainingRecordFactory(officer=officer, course=_safeguarding_course(), completed_on=datetime.date(2025, 9, 2))
    assert check_posting_eligibility(officer=officer, start_date=START).is_eligible


def test_training_completed_after_the_start_date_does_not_count():
    officer = make_eligible_officer(on=START)
    officer.training_records.filter(course=_safeguarding_course()).delete()
    day_after = START + datetime.timedelta(days=1)
    TrainingRecordFactory(officer=officer, course=_safeguarding_course(), completed_on=day_after)
    assert not check_posting_eligibility(officer=officer, start_date=START).is_eligible


def test_a_renewal_makes_expired_training_current_again():
    officer = make_eligible_officer(on=START)
    TrainingRecordFactory(officer=officer, course=_safeguarding_course(), completed_on=datetime.date(2024, 1, 1))
    assert check_posting_eligibility(officer=officer, start_date=START).is_eligible


def test_officer_who_has_left_the_role_is_not_eligible():
    officer = make_eligible_officer(on=START, status=OfficerStatus.LEFT)
    assert check_posting_eligibility(officer=officer, start_date=START).reasons == [
        "The officer's status is \u201cLeft the role\u201d."
    ]


def test_every_unmet_requirement_is_listed():
    officer = make_eligible_officer(on=START, probation_end_date=START, enhanced_vetting_date=None)
    officer.training_records.all().delete()
    officer.suitability_assessments.all().delete()
    assert len(check_posting_eligibility(officer=officer, start_date=START).reasons) == 3 + 4


def test_eligibility_check_query_count_does_not_grow_with_training_history(django_assert_max_num_queries):
    officer = make_eligible_officer(on=START)
    for year in range(2010, 2025):
        TrainingRecordFactory(officer=officer, course=_safeguarding_course(), completed_on=datetime.date(year, 1, 1))
    # latest assessment, required courses, officer, records of those courses
    with django_assert_max_num_queries(4):
        check_posting_eligibility(officer=officer, start_date=START)


def test_training_record_expiry_is_computed_from_the_course_validity():
    record = TrainingRecordFactory(course=_safeguarding_course(), completed_on=datetime.date(2024, 2, 29))
    assert record.expires_on == datetime.date(2025, 2, 28)


def test_training_record_of_a_course_without_validity_never_expires():
    record = TrainingRecordFactory(course__validity_months=None, completed_on=datetime.date(2024, 2, 29))
    assert record.expires_on is None


def test_training_completed_in_the_future_is_refused():
    record = TrainingRecordFactory.build(
        officer=make_eligible_officer(), course=_safeguarding_course(), completed_on=timezone.localdate() + ONE_DAY
    )
    with pytest.raises(ValidationError, match="completed in the future"):
        record.full_clean()


def test_assessment_dated_in_the_future_is_refused():
    assessment = SuitabilityAssessmentFactory.build(
        officer=make_eligible_officer(), assessed_on=timezone.localdate() + ONE_DAY
    )
    with pytest.raises(ValidationError, match="before it has taken place"):
        assessment.full_clean()


def _mixed_officers() -> list:
    """Eligible, in probation, failed panel, missing training: one of each."""
    eligible = make_eligible_officer(on=START)
    in_probation = make_eligible_officer(on=START, probation_end_date=START)
    failed_panel = make_eligible_officer(on=START)
    SuitabilityAssessmentFactory(
        officer=failed_panel, assessed_on=START - ONE_DAY, outcome=SuitabilityOutcome.NOT_PASSED
    )
    missing_training = make_eligible_officer(on=START)
    missing_training.training_records.filter(course=_safeguarding_course()).delete()
    return [eligible, in_probation, failed_panel, missing_training]


def test_eligibility_of_many_officers_answers_as_the_check_of_each():
    officers = _mixed_officers()

    many = check_posting_eligibility_of(officers=officers, start_date=START)

    assert many == {officer.pk: check_posting_eligibility(officer=officer, start_date=START) for officer in officers}
    assert [many[officer.pk].is_eligible for officer in officers] == [True, False, False, False]


def test_eligibility_of_many_officers_takes_four_queries_however_many(django_assert_num_queries):
    officers = _mixed_officers() + [make_eligible_officer(on=START) for _ in range(5)]

    # 1. the officers' latest suitability assessments on the date
    # 2. the required courses
    # 3. the officers (with their BCU)
    # 4. their records of the required courses
    with django_assert_num_queries(4):
        check_posting_eligibility_of(officers=officers, start_date=START)


def test_eligibility_of_no_officers_is_empty():
    assert check_posting_eligibility_of(officers=[], start_date=START) == {}
