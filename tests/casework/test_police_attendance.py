import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import AttendancePurpose, PoliceAttendance
from tests.factories.casework import PoliceAttendanceFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _form(school, **changes):
    data = {
        "school": school.pk,
        "pupil_reference": "AL-2026-001",
        "attended_on_day": str(YESTERDAY.day),
        "attended_on_month": str(YESTERDAY.month),
        "attended_on_year": str(YESTERDAY.year),
        "attended_time": "14:30",
        "officer_name": "PC Jordan Reyes",
        "collar_number": "5512",
        "purpose": AttendancePurpose.SEARCH,
        "purpose_detail": "Officers searched the pupil's bag after a report.",
        "appropriate_adult_present": "on",
        "school_challenged": "on",
        "challenge_detail": "Asked for a parent to be called before the search.",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


def test_a_dsl_records_a_police_attendance(client, dsl_a, school_a):
    client.force_login(dsl_a)
    response = client.post(reverse("casework:attendance-create"), _form(school_a))
    assert response.status_code == 302
    attendance = PoliceAttendance.objects.get()
    assert attendance.pupil.reference == "AL-2026-001" and attendance.pupil.school == school_a
    assert timezone.localtime(attendance.attended_at).time() == datetime.time(14, 30)
    assert (attendance.parent_contacted, attendance.appropriate_adult_present, attendance.school_challenged) == (
        False,
        True,
        True,
    )
    assert attendance.recorded_by == dsl_a


def test_the_posted_officer_can_be_chosen_instead_of_a_name(client, dsl_a, sso_a, school_a):
    client.force_login(dsl_a)
    response = client.post(
        reverse("casework:attendance-create"),
        _form(school_a, officer_name="", collar_number="", posted_officer=str(sso_a.officer.pk)),
    )
    assert response.status_code == 302
    assert PoliceAttendance.objects.get().posted_officer == sso_a.officer


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"officer_name": "", "collar_number": ""}, "officer_name", "Enter the officer's name or collar number"),
        ({"purpose": ""}, "purpose", "Choose the purpose of the visit"),
        ({"purpose_detail": ""}, "purpose_detail", "Describe what happened"),
        ({"purpose_detail": "x" * 5001}, "purpose_detail", "What happened must be 5,000 characters or fewer"),
        ({"challenge_detail": ""}, "challenge_detail", "Say what the school challenged"),
        ({"attended_time": "25:99"}, "attended_time", "Enter the time as hours and minutes"),
        ({"attended_on_day": "32"}, "attended_on", "must be a real date"),
        ({"attended_on_year": "2099"}, "attended_on", "must be in the past"),
        ({"pupil_reference": "Jo Bloggs"}, "pupil_reference", "not a name"),
    ],
)
def test_bad_input_gets_field_messages_and_saves_nothing(client, dsl_a, school_a, changes, field, message):
    client.force_login(dsl_a)
    response = client.post(reverse("casework:attendance-create"), _form(school_a, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not PoliceAttendance.objects.exists()


def test_a_dsl_cannot_record_for_another_school(client, dsl_b, school_a):
    client.force_login(dsl_b)
    response = client.post(reverse("casework:attendance-create"), _form(school_a))
    assert "Choose one of your schools" in response.context["form"].errors["school"][0]
    assert not PoliceAttendance.objects.exists()


def test_the_list_shows_only_the_dsls_schools_records(client, dsl_a, school_a, school_b):
    mine = PoliceAttendanceFactory(school=school_a)
    PoliceAttendanceFactory(school=school_b)
    client.force_login(dsl_a)
    response = client.get(reverse("casework:attendance-list"))
    assert list(response.context["page"].object_list) == [mine]


def test_the_list_has_a_bounded_number_of_queries(client, dsl_a, school_a, django_assert_max_num_queries):
    client.force_login(dsl_a)
    url = reverse("casework:attendance-list")
    client.get(url)
    PoliceAttendanceFactory.create_batch(4, school=school_a)
    # Session, user, MFA device, the DSL's schools, the officer link, count, page (school, pupil and officer joined),
    # and the session saved in its savepoint: the same however many records there are.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4


def test_an_officer_posted_to_another_school_cannot_be_chosen_as_the_schools_officer(dsl_a, sso_a, school_a):
    from django.core.exceptions import ValidationError

    from access.roles import PortalRoles
    from casework.services import record_police_attendance
    from tests.factories.schools import DSLContactFactory, SchoolFactory

    other = SchoolFactory()
    DSLContactFactory(school=other, user=dsl_a)
    with pytest.raises(ValidationError, match="not posted to the school"):
        record_police_attendance(
            roles=PortalRoles(dsl_a),
            school=other,
            pupil_reference="AL-1",
            attended_at=timezone.now() - datetime.timedelta(hours=2),
            posted_officer=sso_a.officer,
            officer_name="",
            collar_number="",
            purpose=AttendancePurpose.WELFARE,
            purpose_detail="Visit",
            parent_contacted=True,
            appropriate_adult_present=True,
            school_challenged=False,
            challenge_detail="",
        )
    assert not PoliceAttendance.objects.exists()
