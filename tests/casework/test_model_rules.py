"""The rules the casework records keep whatever form or service saves them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access.roles import PortalRoles
from casework.models import (
    ChallengeStatus,
    ChallengeStep,
    FileTransfer,
    PoliceAttendance,
    StepKind,
    TransferAuditEntry,
    TransferEvent,
)
from safeguarding.models import pupil_of
from tests.factories.casework import FileTransferFactory, PoliceAttendanceFactory, ProfessionalChallengeFactory
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


def _errors_of(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        record.full_clean()
    return raised.value.message_dict


def test_an_sso_sees_no_file_transfer(sso_a, school_a, school_b):
    FileTransferFactory(from_school=school_a, to_school=school_b)
    assert not FileTransfer.objects.visible_to(PortalRoles(sso_a)).exists()


def test_an_sso_sees_no_police_attendance(sso_a, school_a):
    PoliceAttendanceFactory(school=school_a)
    assert not PoliceAttendance.objects.visible_to(PortalRoles(sso_a)).exists()


def test_a_file_transfer_is_named_by_its_number_not_the_pupil():
    transfer = FileTransferFactory()
    assert str(transfer) == f"File transfer {transfer.pk}"


def test_a_transfer_refuses_a_pupil_of_another_school(school_a, school_b):
    transfer = FileTransferFactory.build(
        from_school=school_a, to_school=school_b, pupil=pupil_of(school_b.pk, "BI-2026-001"), sent_by=None
    )
    assert _errors_of(transfer)["pupil"] == ["This pupil is not on the sending school's roll."]


def test_a_transfer_outside_the_portal_needs_the_school_name(school_a):
    transfer = FileTransferFactory.build(from_school=school_a, to_school=None, outside_school_name=" ", method="post")
    assert _errors_of(transfer)["outside_school_name"] == ["Enter the new school's name and town"]


def test_a_transfer_outside_the_portal_needs_how_it_was_sent(school_a):
    transfer = FileTransferFactory.build(
        from_school=school_a, to_school=None, outside_school_name="Oak Academy, Leeds", method=""
    )
    assert _errors_of(transfer)["method"] == ["Choose how the file was sent"]


def test_a_transfer_refuses_a_receipt_dated_in_the_future(school_a, school_b):
    transfer = FileTransferFactory.build(from_school=school_a, to_school=school_b, receipt_confirmed_on=TOMORROW)
    assert _errors_of(transfer)["receipt_confirmed_on"] == ["The date of the receipt must be today or in the past"]


def test_an_audit_entry_names_the_event_the_transfer_and_the_user():
    transfer = FileTransferFactory()
    entry = TransferAuditEntry.objects.create(transfer=transfer, user=transfer.sent_by, event=TransferEvent.VIEWED)
    assert str(entry) == f"Read the transferred file: transfer {transfer.pk} by user {transfer.sent_by.pk}"


def test_a_police_attendance_is_named_by_its_number_not_the_pupil():
    visit = PoliceAttendanceFactory()
    assert str(visit) == f"Police attendance {visit.pk}"


def test_a_visit_by_the_posted_officer_says_so():
    officer = OfficerFactory()
    visit = PoliceAttendanceFactory(posted_officer=officer, officer_name="", collar_number="")
    assert visit.officer_description == f"{officer} (the school's Safer Schools Officer)"


def test_a_visit_by_another_officer_is_described_by_name_and_collar_number():
    visit = PoliceAttendanceFactory(officer_name="PC Rowan Hale", collar_number="")
    assert visit.officer_description == "PC Rowan Hale"


def test_a_police_attendance_needs_some_way_to_tell_who_came():
    visit = PoliceAttendanceFactory()
    visit.officer_name = " "
    visit.collar_number = ""
    assert _errors_of(visit)["officer_name"] == [
        "Enter the officer's name or collar number, or choose the posted officer"
    ]


def test_a_police_attendance_that_the_school_challenged_says_what():
    visit = PoliceAttendanceFactory(school_challenged=False)
    visit.school_challenged = True
    visit.challenge_detail = "  "
    assert _errors_of(visit)["challenge_detail"] == ["Say what the school challenged"]


def test_a_challenge_refuses_a_resolution_dated_in_the_future():
    challenge = ProfessionalChallengeFactory()
    challenge.status = ChallengeStatus.RESOLVED
    challenge.resolution = "Strategy meeting agreed a new plan."
    challenge.resolved_on = TOMORROW
    assert _errors_of(challenge)["resolved_on"] == ["The date of the resolution must be today or in the past"]


def test_a_resolved_challenge_says_how_it_was_resolved():
    challenge = ProfessionalChallengeFactory()
    challenge.status = ChallengeStatus.RESOLVED
    challenge.resolved_on = TODAY
    challenge.resolution = " "
    assert _errors_of(challenge)["resolution"] == ["Describe how the challenge was resolved"]


def test_a_challenge_step_is_named_by_its_kind_and_challenge():
    challenge = ProfessionalChallengeFactory()
    step = challenge.steps.get()
    assert str(step) == f"Challenge opened on challenge {challenge.pk}"


def _step(challenge, on: datetime.date) -> ChallengeStep:
    return ChallengeStep(
        challenge=challenge,
        kind=StepKind.RESPONSE,
        stage=challenge.stage,
        on=on,
        summary="Team manager replied.",
        recorded_by=challenge.opened_by,
    )


def test_a_challenge_step_refuses_a_date_in_the_future():
    challenge = ProfessionalChallengeFactory()
    assert _errors_of(_step(challenge, TOMORROW))["on"] == ["The date must be today or in the past"]


def test_a_challenge_step_refuses_a_date_before_the_challenge_was_opened():
    challenge = ProfessionalChallengeFactory()
    before = challenge.opened_on - datetime.timedelta(days=1)
    assert _errors_of(_step(challenge, before))["on"] == ["The date cannot be before the challenge was opened"]
