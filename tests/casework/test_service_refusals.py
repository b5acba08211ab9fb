"""What the casework services refuse, and the field each refusal is worded for."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access.roles import PortalRoles
from casework import services
from casework.models import AttendancePurpose, ChallengedAgency, ChallengeStatus, TransferStatus
from tests.factories.casework import FileTransferFactory, ProfessionalChallengeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _attendance_fields(school, **changes):
    fields = {
        "school": school,
        "pupil_reference": "AL-2026-001",
        "attended_at": timezone.now() - datetime.timedelta(hours=2),
        "posted_officer": None,
        "officer_name": "PC Rowan Hale",
        "collar_number": "4821",
        "purpose": AttendancePurpose.WELFARE,
        "purpose_detail": "Welfare check after an absence.",
        "parent_contacted": True,
        "appropriate_adult_present": True,
        "school_challenged": False,
        "challenge_detail": "",
    }
    return fields | changes


def _message(raised, field: str) -> list[str]:
    return raised.value.message_dict[field]


def test_an_sso_cannot_record_police_attendance(sso_a, school_a):
    with pytest.raises(PermissionDenied, match="Only a current DSL of this school"):
        services.record_police_attendance(roles=PortalRoles(sso_a), **_attendance_fields(school_a))


def test_police_attendance_refuses_a_malformed_pupil_reference(dsl_a, school_a):
    with pytest.raises(ValidationError) as raised:
        services.record_police_attendance(
            roles=PortalRoles(dsl_a), **_attendance_fields(school_a, pupil_reference="AL 2026/001!")
        )
    assert "pupil_reference" in raised.value.message_dict


def test_the_sending_dsl_cannot_read_the_transferred_file(dsl_a, school_a, school_b):
    transfer = FileTransferFactory(from_school=school_a, to_school=school_b)
    with pytest.raises(PermissionDenied):
        services.record_transfer_read(transfer=transfer, roles=PortalRoles(dsl_a))


def test_the_sending_dsl_cannot_acknowledge_the_transferred_file(dsl_a, school_a, school_b):
    transfer = FileTransferFactory(from_school=school_a, to_school=school_b)
    with pytest.raises(PermissionDenied):
        services.acknowledge_file_transfer(transfer=transfer, roles=PortalRoles(dsl_a), new_pupil_reference="BI-1")


def test_a_file_is_acknowledged_only_once(dsl_b, school_a, school_b):
    transfer = FileTransferFactory(from_school=school_a, to_school=school_b)
    services.acknowledge_file_transfer(transfer=transfer, roles=PortalRoles(dsl_b), new_pupil_reference="BI-1")
    with pytest.raises(ValidationError) as raised:
        services.acknowledge_file_transfer(transfer=transfer, roles=PortalRoles(dsl_b), new_pupil_reference="BI-2")
    assert _message(raised, "new_pupil_reference") == ["This file has already been acknowledged"]


def test_acknowledging_refuses_a_malformed_reference_and_leaves_the_file_unacknowledged(dsl_b, school_a, school_b):
    transfer = FileTransferFactory(from_school=school_a, to_school=school_b)
    with pytest.raises(ValidationError) as raised:
        services.acknowledge_file_transfer(transfer=transfer, roles=PortalRoles(dsl_b), new_pupil_reference="BI 1/!")
    assert "new_pupil_reference" in raised.value.message_dict
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SENT


def test_acknowledging_refuses_a_reference_that_holds_another_transferred_file(dsl_b, school_a, school_b):
    earlier = FileTransferFactory(from_school=school_a, to_school=school_b)
    services.acknowledge_file_transfer(transfer=earlier, roles=PortalRoles(dsl_b), new_pupil_reference="BI-7")
    later = FileTransferFactory(from_school=school_a, to_school=school_b)
    with pytest.raises(ValidationError) as raised:
        services.acknowledge_file_transfer(transfer=later, roles=PortalRoles(dsl_b), new_pupil_reference="BI-7")
    assert _message(raised, "new_pupil_reference") == [
        "This reference already holds another transferred file: check the reference"
    ]


def _outside_transfer(school):
    return FileTransferFactory(
        from_school=school, to_school=None, outside_school_name="Oak Academy, Leeds", method="secure_email"
    )


def test_only_the_sending_dsl_records_an_outside_receipt(dsl_b, school_a):
    transfer = _outside_transfer(school_a)
    with pytest.raises(PermissionDenied):
        services.record_outside_receipt(
            transfer=transfer, roles=PortalRoles(dsl_b), confirmed_by="Ms Reed, DSL", confirmed_on=TODAY
        )


def test_an_outside_receipt_is_recorded_only_once(dsl_a, school_a):
    transfer = _outside_transfer(school_a)
    services.record_outside_receipt(
        transfer=transfer, roles=PortalRoles(dsl_a), confirmed_by="Ms Reed, DSL", confirmed_on=TODAY
    )
    with pytest.raises(ValidationError) as raised:
        services.record_outside_receipt(
            transfer=transfer, roles=PortalRoles(dsl_a), confirmed_by="Mr Cole", confirmed_on=TODAY
        )
    assert _message(raised, "confirmed_by") == ["The receipt of this file is already recorded"]


def test_a_council_reader_cannot_open_a_challenge(council_reader, school_a):
    with pytest.raises(PermissionDenied):
        services.open_challenge(
            roles=PortalRoles(council_reader),
            school=school_a,
            pupil_reference="AL-2026-001",
            agency=ChallengedAgency.HEALTH,
            decision="Referral declined.",
            reason="The risk is unchanged.",
            opened_on=TODAY,
        )


def test_a_response_to_a_challenge_names_who_responded(dsl_a, school_a):
    challenge = ProfessionalChallengeFactory(school=school_a, opened_by=dsl_a)
    with pytest.raises(ValidationError) as raised:
        services.add_challenge_response(
            challenge=challenge, roles=PortalRoles(dsl_a), on=TODAY, responder="  ", summary="They replied."
        )
    assert _message(raised, "responder") == ["Enter who responded"]
    assert challenge.steps.count() == 1
    assert challenge.status == ChallengeStatus.OPEN
