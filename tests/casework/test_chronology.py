import datetime

import pytest
from django.utils import timezone

from access.roles import PortalRoles
from casework import services
from safeguarding.chronology import chronology_categories, pupil_chronology
from safeguarding.models import Pupil
from tests.factories.casework import PoliceAttendanceFactory, ProfessionalChallengeFactory

pytestmark = pytest.mark.django_db


def test_the_three_sources_are_registered():
    categories = {source.category: source.label for source in chronology_categories()}
    assert categories["transfer"] == "Transfers"
    assert categories["police"] == "Police attendance"
    assert categories["challenge"] == "Professional challenge"


def test_the_old_schools_chronology_shows_the_file_sent_and_its_acknowledgement(
    dsl_a, dsl_b, pupil_a, school_a, school_b
):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference=pupil_a.reference, to_school_urn=school_b.urn
    )
    services.acknowledge_file_transfer(transfer=transfer, roles=PortalRoles(dsl_b), new_pupil_reference="BI-9")
    titles = [entry.title for entry in pupil_chronology(pupil_a, PortalRoles(dsl_a), category="transfer")]
    assert titles == ["File acknowledged by the new school", "File sent to Birch School"]


def test_the_new_schools_record_starts_with_the_file_received(dsl_a, dsl_b, pupil_a, school_a, school_b):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference=pupil_a.reference, to_school_urn=school_b.urn
    )
    services.acknowledge_file_transfer(transfer=transfer, roles=PortalRoles(dsl_b), new_pupil_reference="BI-9")
    new_pupil = Pupil.objects.get(school=school_b, reference="BI-9")
    titles = [entry.title for entry in pupil_chronology(new_pupil, PortalRoles(dsl_b), category="transfer")]
    assert "File received from Alder School" in titles


def test_another_schools_dsl_gets_no_entries(dsl_b, school_a):
    visit = PoliceAttendanceFactory(school=school_a)
    ProfessionalChallengeFactory(school=school_a, pupil=visit.pupil)
    assert pupil_chronology(visit.pupil, PortalRoles(dsl_b)) == []


def test_police_attendance_and_challenge_steps_appear_with_the_pupils_school_dsl(dsl_a, school_a):
    visit = PoliceAttendanceFactory(school=school_a, attended_at=timezone.now() - datetime.timedelta(days=2))
    ProfessionalChallengeFactory(school=school_a, pupil=visit.pupil)
    entries = pupil_chronology(visit.pupil, PortalRoles(dsl_a))
    categories = {entry.category for entry in entries}
    assert {"police", "challenge"} <= categories
    police = next(entry for entry in entries if entry.category == "police")
    assert "PC Test Officer" in police.detail and "appropriate adult present" in police.detail
