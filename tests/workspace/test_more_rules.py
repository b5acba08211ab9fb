"""The referral outcome's refusals, and the selectors' answers for those they are not for."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from access.roles import PortalRoles
from tests.factories.officers import OfficerFactory, UserFactory
from tests.factories.schools import DSLContactFactory
from tests.factories.workspace import ActivityFactory, category
from workspace.models import Activity, ActivityDetails
from workspace.selectors import activity_summary, my_postings
from workspace.services import record_referral_outcome

pytestmark = pytest.mark.django_db


def test_an_sso_cannot_record_the_outcome_of_another_officers_referral(roles, school):
    theirs = ActivityFactory(officer=OfficerFactory(), school=school, category=category(ActivityDetails.DIVERSION))
    with pytest.raises(ValidationError, match="This is not one of your activities."):
        record_referral_outcome(roles=roles, activity=theirs, outcome="Engaged with the project.")


def test_only_a_diversion_referral_has_an_outcome(roles, officer, school):
    visit = ActivityFactory(officer=officer, school=school, category=category(ActivityDetails.VISIT))
    with pytest.raises(ValidationError) as raised:
        record_referral_outcome(roles=roles, activity=visit, outcome="Engaged with the project.")
    assert raised.value.message_dict["referral_outcome"] == ["Only a diversion referral has an outcome."]


def test_a_blank_referral_outcome_is_refused_and_not_saved(roles, officer, school):
    referral = ActivityFactory(officer=officer, school=school, category=category(ActivityDetails.DIVERSION))
    with pytest.raises(ValidationError) as raised:
        record_referral_outcome(roles=roles, activity=referral, outcome="   ")
    assert raised.value.message_dict["referral_outcome"] == ["Give the outcome of the referral."]
    referral.refresh_from_db()
    assert referral.referral_outcome == ""


def test_a_dsl_who_is_no_officer_has_no_postings_even_where_an_officer_is_posted(school, sso_user):
    dsl = UserFactory()
    DSLContactFactory(school=school, user=dsl)
    assert my_postings(roles=PortalRoles(dsl), on=datetime.date(2026, 11, 2)) == []


def test_the_activity_summary_refuses_an_unknown_grouping():
    with pytest.raises(ValueError, match="group_by must be one of"):
        activity_summary(activities=Activity.objects.all(), month=datetime.date(2026, 11, 1), group_bys=["pupil"])
