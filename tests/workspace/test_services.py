"""The rules of the activity log, touchdown points and youth services (workspace.services)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access.roles import PortalRoles
from tests.factories.officers import BCUManagerFactory, UserFactory
from tests.factories.schools import DSLContactFactory
from tests.factories.workspace import YouthServiceFactory, category
from workspace.models import Activity, ActivityCategory, ActivityDetails, Relationship, SupportKind, TouchdownPoint
from workspace.services import log_activity, record_referral_outcome, set_touchdown_point

from .conftest import POSTED_ON


def _log(roles, school, details=ActivityDetails.VISIT, **fields):
    fields.setdefault("occurred_on", timezone.localdate())
    return log_activity(roles=roles, school=school, category=category(details), **fields)


def test_an_sso_logs_a_daily_check_at_their_school(roles, school, officer):
    activity = _log(roles, school)
    assert activity.officer == officer
    assert activity.recorded_by == roles.user
    assert activity.history.count() == 1


def test_an_activity_dated_in_the_future_is_refused_and_nothing_saved(roles, school):
    with pytest.raises(ValidationError) as error:
        _log(roles, school, occurred_on=timezone.localdate() + datetime.timedelta(days=1))
    assert error.value.message_dict["occurred_on"] == ["The date cannot be in the future."]
    assert not Activity.objects.exists()


def test_an_activity_before_the_posting_started_is_refused(roles, school):
    with pytest.raises(ValidationError) as error:
        _log(roles, school, occurred_on=POSTED_ON - datetime.timedelta(days=1))
    assert "start of your posting" in error.value.message_dict["occurred_on"][0]
    assert not Activity.objects.exists()


def test_an_activity_at_a_school_the_sso_is_not_posted_to_is_refused(roles, other_school):
    with pytest.raises(ValidationError) as error:
        _log(roles, other_school)
    assert "school" in error.value.message_dict
    assert not Activity.objects.exists()


def test_a_login_without_a_serving_officer_cannot_log_work(school):
    with pytest.raises(ValidationError):
        _log(PortalRoles(UserFactory()), school)


def test_a_session_needs_its_topic_year_group_and_pupils_reached(roles, school):
    with pytest.raises(ValidationError) as error:
        _log(roles, school, ActivityDetails.SESSION)
    assert set(error.value.message_dict) == {"topic", "year_group", "pupils_reached"}


def test_one_to_one_support_needs_the_kind_and_a_pupil_reference_not_a_name(roles, school):
    with pytest.raises(ValidationError) as error:
        _log(roles, school, ActivityDetails.SUPPORT, support_kind=SupportKind.VICTIM, pupil_reference="Jane Smith")
    assert "pupil_reference" in error.value.message_dict
    activity = _log(roles, school, ActivityDetails.SUPPORT, support_kind=SupportKind.VICTIM, pupil_reference="P-1042")
    assert activity.pupil_reference == "P-1042"


def test_details_of_another_shape_are_dropped(roles, school):
    activity = _log(roles, school, topic="Not asked for", pupil_reference="P-1")
    assert activity.topic == "" and activity.pupil_reference == ""


def test_a_retired_category_is_not_offered_for_new_work(roles, school):
    retired = category()
    ActivityCategory.objects.filter(pk=retired.pk).update(is_active=False)
    retired.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        log_activity(roles=roles, school=school, category=retired, occurred_on=timezone.localdate())
    assert "category" in error.value.message_dict


def test_youth_service_engagement_records_the_services_last_contact(roles, school, officer):
    service = YouthServiceFactory(ward=school.ward, relationship=Relationship.NOT_STARTED)
    day = timezone.localdate() - datetime.timedelta(days=2)
    _log(roles, school, ActivityDetails.YOUTH_SERVICE, youth_service=service, occurred_on=day)
    service.refresh_from_db()
    assert (service.last_contact_on, service.last_contact_by, service.relationship) == (
        day,
        officer,
        Relationship.DEVELOPING,
    )


def test_a_youth_service_outside_the_ssos_wards_is_refused(roles, school):
    with pytest.raises(ValidationError) as error:
        _log(roles, school, ActivityDetails.YOUTH_SERVICE, youth_service=YouthServiceFactory())
    assert "youth_service" in error.value.message_dict


def test_a_diversion_referrals_outcome_is_added_later(roles, school):
    referral = _log(roles, school, ActivityDetails.DIVERSION, referred_to="YOS prevention", pupil_reference="P-7")
    record_referral_outcome(roles=roles, activity=referral, outcome="Attended four sessions.")
    referral.refresh_from_db()
    assert referral.referral_outcome == "Attended four sessions."


def test_another_ssos_referral_outcome_cannot_be_recorded(roles, school, other_school):
    referral = _log(roles, school, ActivityDetails.DIVERSION, referred_to="YOS", pupil_reference="P-7")
    from tests.factories.roles import sso

    with pytest.raises(ValidationError):
        record_referral_outcome(roles=PortalRoles(sso()), activity=referral, outcome="x")


def test_the_schools_dsl_sets_the_touchdown_point(school):
    dsl = DSLContactFactory(school=school, user=UserFactory()).user
    point = set_touchdown_point(roles=PortalRoles(dsl), school=school, room=" Room P2 ", access_notes="Reception")
    assert (point.room, point.updated_by) == ("Room P2", dsl)


def test_a_manager_sets_a_touchdown_point_and_an_sso_cannot(school, roles):
    set_touchdown_point(roles=PortalRoles(BCUManagerFactory()), school=school, room="Inclusion base")
    with pytest.raises(ValidationError):
        set_touchdown_point(roles=roles, school=school, room="My own choice")
    assert TouchdownPoint.objects.get(school=school).room == "Inclusion base"
