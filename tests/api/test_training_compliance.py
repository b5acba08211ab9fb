import datetime

import pytest
from django.utils import timezone

from officers.models import OfficerStatus, TrainingCourse
from tests.factories.officers import OfficerFactory, PostingFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/training-compliance/"


@pytest.fixture
def course(db) -> TrainingCourse:
    # Required courses are seeded by migration officers/0007; one is enough to test with.
    TrainingCourse.objects.filter(required_for_sso=True).update(required_for_sso=False)
    return TrainingCourse.objects.create(code="SAFE1", name="Safeguarding", category="other", validity_months=12,
                                         required_for_sso=True)  # fmt: skip


def _posted_officer(authority, **officer_fields):
    officer = OfficerFactory(**officer_fields)
    PostingFactory(officer=officer, school__local_authority=authority, start_date=datetime.date(2026, 1, 1))
    return officer


def test_each_officer_shows_a_status_per_required_course_and_nothing_else(council, course):
    today = timezone.localdate()
    officer = _posted_officer(council.authority)
    TrainingRecordFactory(officer=officer, course=course, completed_on=today - datetime.timedelta(days=30))
    [row] = council.http.get(URL).json()["results"]
    assert row["collar_number"] == officer.collar_number
    assert row["is_compliant"] is True
    assert row["courses"] == [{"course": "SAFE1", "course_name": "Safeguarding", "status": "current"}]


def test_missing_training_makes_an_officer_non_compliant(council, course):
    _posted_officer(council.authority)
    [row] = council.http.get(URL).json()["results"]
    assert (row["is_compliant"], row["courses"][0]["status"]) == (False, "missing")


def test_officers_not_posted_in_the_clients_authorities_are_not_listed(council, other_council, course):
    _posted_officer(other_council.authority)
    OfficerFactory()  # no posting at all
    ended = OfficerFactory()
    PostingFactory(officer=ended, school__local_authority=council.authority, start_date=datetime.date(2025, 1, 1),
                   end_date=timezone.localdate() - datetime.timedelta(days=1))  # fmt: skip
    assert council.http.get(URL).json()["results"] == []


def test_officers_who_left_are_not_listed(council, course):
    _posted_officer(council.authority, status=OfficerStatus.LEFT)
    assert council.http.get(URL).json()["count"] == 0


def test_fast_compliance_representation_equals_the_declared_fields(council, course):
    from api.selectors import officer_compliance_rows
    from api.views.training import OfficerComplianceSerializer
    from officers.models import Officer
    from officers.selectors import training_compliance

    today = timezone.localdate()
    expiring = TrainingCourse.objects.create(code="SAFE2", name="Adultification", category="other",
                                             validity_months=1, required_for_sso=True)  # fmt: skip
    lasting = TrainingCourse.objects.create(code="SAFE3", name="Trauma", category="other", required_for_sso=True)
    compliant = _posted_officer(council.authority, rank="insp")
    TrainingRecordFactory(officer=compliant, course=course, completed_on=today - datetime.timedelta(days=30))
    TrainingRecordFactory(officer=compliant, course=course, completed_on=today - datetime.timedelta(days=400))
    TrainingRecordFactory(officer=compliant, course=expiring, completed_on=today - datetime.timedelta(days=20))
    TrainingRecordFactory(officer=compliant, course=lasting, completed_on=today - datetime.timedelta(days=900))
    lapsed = _posted_officer(council.authority, rank="retired")  # not a choice: shown as stored
    TrainingRecordFactory(officer=lapsed, course=course, completed_on=today - datetime.timedelta(days=400))
    officers = Officer.objects.visible_to(council.client)
    # The declared fields read the model instances of training_compliance, the generic way.
    generic_rows = {row.officer.pk: row for row in training_compliance(officers=officers, on=today)}
    rows = officer_compliance_rows(officers=officers, on=today)
    assert len(rows) == 2
    for row in rows:
        serializer = OfficerComplianceSerializer()
        generic = super(OfficerComplianceSerializer, serializer).to_representation(generic_rows[row["pk"]])
        assert serializer.to_representation(row) == generic
    statuses = {row["collar_number"]: [status for _, status in row["courses"]] for row in rows}
    assert statuses[compliant.collar_number] == ["expiring", "current", "current"]
    assert statuses[lapsed.collar_number] == ["missing", "expired", "missing"]
