import datetime

import pytest

from officers.models import Officer, TrainingCourse
from officers.selectors import ComplianceStatus, compliance_totals, training_compliance, training_evaluation_report
from tests.factories.officers import (
    BCUFactory,
    OfficerFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    make_eligible_officer,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 9, 1)


def _status_with_expiry(expires_on: datetime.date) -> ComplianceStatus:
    """Status of the 12-month safeguarding course for an officer whose record expires on ``expires_on``."""
    officer = OfficerFactory()
    course = TrainingCourse.objects.get(code="SSO-SGC")
    TrainingRecordFactory(officer=officer, course=course, completed_on=expires_on.replace(year=expires_on.year - 1))
    (row,) = training_compliance(officers=Officer.objects.filter(pk=officer.pk), on=ON)
    return next(cell.status for cell in row.courses if cell.course == course)


@pytest.mark.parametrize(
    ("expires_on", "status"),
    [
        (datetime.date(2026, 10, 2), ComplianceStatus.CURRENT),  # 31 days ahead
        (datetime.date(2026, 10, 1), ComplianceStatus.EXPIRING),  # exactly 30 days ahead
        (datetime.date(2026, 9, 2), ComplianceStatus.EXPIRING),  # tomorrow
        (datetime.date(2026, 9, 1), ComplianceStatus.EXPIRED),  # today: the first day no longer current
        (datetime.date(2026, 8, 1), ComplianceStatus.EXPIRED),
    ],
)
def test_compliance_status_boundaries(expires_on, status):
    assert _status_with_expiry(expires_on) == status


def test_officer_without_any_training_is_missing_every_required_course():
    officer = OfficerFactory()
    (row,) = training_compliance(officers=Officer.objects.filter(pk=officer.pk), on=ON)
    assert [cell.status for cell in row.courses] == [ComplianceStatus.MISSING] * 4
    assert not row.is_compliant


def test_expiring_training_still_counts_as_compliant():
    officer = make_eligible_officer(on=ON)
    course = TrainingCourse.objects.get(code="SSO-SGC")
    officer.training_records.filter(course=course).delete()
    TrainingRecordFactory(officer=officer, course=course, completed_on=datetime.date(2025, 9, 10))
    (row,) = training_compliance(officers=Officer.objects.filter(pk=officer.pk), on=ON)
    assert ComplianceStatus.EXPIRING in [cell.status for cell in row.courses]
    assert row.is_compliant


def test_courses_not_required_are_not_in_the_matrix():
    TrainingCourseFactory(code="OPTIONAL", required_for_sso=False)
    (row,) = training_compliance(officers=Officer.objects.filter(pk=OfficerFactory().pk), on=ON)
    assert "OPTIONAL" not in [cell.course.code for cell in row.courses]


def test_training_compliance_runs_three_queries_whatever_the_number_of_officers(django_assert_num_queries):
    for _ in range(12):
        make_eligible_officer(on=ON)
    # required courses; officers with their BCU; their records of those courses
    with django_assert_num_queries(3):
        rows = training_compliance(officers=Officer.objects.all(), on=ON)
    assert len(rows) == 12


def test_evaluation_report_filters_by_bcu():
    course = TrainingCourseFactory()
    bcu = BCUFactory()
    TrainingRecordFactory(course=course, officer__bcu=bcu, met_expectations_score=5)
    TrainingRecordFactory(course=course, met_expectations_score=1)
    (row,) = [r for r in training_evaluation_report(bcu=bcu) if r.course == course]
    assert (row.officers_trained, row.met_expectations_percentage) == (1, 100.0)


def test_evaluation_report_counts_officers_once_but_every_completion():
    course = TrainingCourseFactory()
    officer = OfficerFactory()
    TrainingRecordFactory(course=course, officer=officer, completed_on=datetime.date(2024, 1, 1))
    TrainingRecordFactory(course=course, officer=officer, completed_on=datetime.date(2025, 1, 1))
    (row,) = [r for r in training_evaluation_report() if r.course == course]
    assert (row.officers_trained, row.completions, row.met_expectations_percentage) == (1, 2, None)


def test_evaluation_report_date_range_is_inclusive():
    course = TrainingCourseFactory()
    TrainingRecordFactory(course=course, completed_on=datetime.date(2026, 1, 1))
    TrainingRecordFactory(course=course, completed_on=datetime.date(2026, 1, 31))
    TrainingRecordFactory(course=course, completed_on=datetime.date(2026, 2, 1))
    rows = training_evaluation_report(
        completed_from=datetime.date(2026, 1, 1), completed_to=datetime.date(2026, 1, 31)
    )
    (row,) = [r for r in rows if r.course == course]
    assert row.completions == 2


def test_compliance_totals_count_officers_in_each_status_per_course():
    make_eligible_officer(on=ON)
    OfficerFactory()
    rows = training_compliance(officers=Officer.objects.all(), on=ON)
    totals = compliance_totals(rows)
    assert len(totals) == 4
    assert all(column[ComplianceStatus.CURRENT] == 1 and column[ComplianceStatus.MISSING] == 1 for column in totals)
