"""Writes to transfers, police attendances and professional challenges. Each runs in one
transaction, checks who may act, validates with ``full_clean()`` and leaves an audit trail; a
refusal is a ``ValidationError`` keyed by field, which the views show beside the field."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from access.roles import PortalRoles
from casework.models import (
    ChallengeStage,
    ChallengeStatus,
    ChallengeStep,
    FileTransfer,
    PoliceAttendance,
    ProfessionalChallenge,
    StepKind,
    TransferAuditEntry,
    TransferEvent,
    TransferStatus,
)
from officers.models import Officer
from safeguarding.models import Concern, Pupil, pupil_of
from schools.models import School

logger = logging.getLogger(__name__)


def _audit(*, transfer: FileTransfer, user, event: str) -> TransferAuditEntry:
    return TransferAuditEntry.objects.create(transfer=transfer, user=user, event=event)


def _require_dsl_of(roles: PortalRoles, school: School, what: str) -> None:
    if school.pk not in roles.dsl_school_ids:
        raise PermissionDenied(f"Only a current DSL of this school can {what}.")


def _pupil_on_roll(*, roles: PortalRoles, school: School, pupil_reference: str) -> Pupil:
    """The sending school's record of the pupil: it must exist (a file holds something)."""
    reference = pupil_reference.strip().upper()
    pupil = Pupil.objects.visible_to(roles).filter(school=school, reference=reference).first()
    if pupil is None:
        raise ValidationError(
            {"pupil_reference": f"{school} has no safeguarding record for a pupil with the reference {reference}"}
        )
    return pupil


def file_snapshot(pupil: Pupil) -> dict:
    """The pupil's safeguarding record as it is now, for the new school's read-only copy: concerns
    with their chronology and attachment names (not the files), police attendances and challenges."""
    concerns = (
        Concern.objects.filter(pupil=pupil).prefetch_related("actions", "attachments").order_by("created_at", "pk")
    )

    def day(value: datetime.date | datetime.datetime | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value)
        return value.isoformat()

    return {
        "taken_at": timezone.now().isoformat(),
        "pupil_reference": pupil.reference,
        "concerns": [
            {
                "logged_on": day(concern.created_at),
                "year_group": concern.get_year_group_display(),
                "category": concern.get_category_display(),
                "severity": concern.get_severity_display(),
                "status": concern.get_status_display(),
                "outcome": concern.get_outcome_display() if concern.outcome else "",
                "description": concern.description,
                "actions": [
                    {"on": day(action.taken_on), "summary": action.summary} for action in concern.actions.all()
                ],
                "attachments": [attachment.original_name for attachment in concern.attachments.all()],
            }
            for concern in concerns
        ],
        "police_attendances": [
            {
                "on": day(attendance.attended_at),
                "purpose": attendance.get_purpose_display(),
                "what_happened": attendance.purpose_detail,
                "parent_contacted": attendance.parent_contacted,
                "appropriate_adult_present": attendance.appropriate_adult_present,
                "school_challenged": attendance.challenge_detail if attendance.school_challenged else "",
            }
            for attendance in pupil.police_attendances.order_by("attended_at", "pk")
        ],
        "challenges": [
            {
                "opened_on": day(challenge.opened_on),
                "agency": challenge.get_agency_display(),
                "decision": challenge.decision,
                "stage": challenge.get_stage_display(),
                "status": challenge.get_status_display(),
                "resolution": challenge.resolution,
            }
            for challenge in pupil.challenges.order_by("opened_on", "pk")
        ],
    }


def _save_transfer(transfer: FileTransfer) -> FileTransfer:
    # clean() words each rule for its field; the constraints stay as the database's backstop.
    transfer.full_clean(validate_constraints=False)
    try:
        # A savepoint: two DSLs sending the same pupil's file at once meet the unique constraint.
        with transaction.atomic():
            transfer.save()
    except IntegrityError as error:
        raise ValidationError(
            {"pupil_reference": "This pupil's file already has a transfer that is not acknowledged."}
        ) from error
    return transfer


@transaction.atomic
def send_file_transfer(
    *, roles: PortalRoles, from_school: School, pupil_reference: str, to_school_urn: str
) -> FileTransfer:
    """Send a pupil's file to the DSLs of a school in the portal, found by its URN."""
    _require_dsl_of(roles, from_school, "transfer its pupils' files")
    to_school = School.objects.open().filter(urn=to_school_urn.strip()).first()
    if to_school is None:
        raise ValidationError({"to_school_urn": "No open school in the portal has this URN"})
    if to_school.pk == from_school.pk:
        raise ValidationError(
            {"to_school_urn": "Choose a different school: the file cannot be transferred to the school that holds it"}
        )
    pupil = _pupil_on_roll(roles=roles, school=from_school, pupil_reference=pupil_reference)
    transfer = FileTransfer(
        pupil=pupil,
        from_school=from_school,
        to_school=to_school,
        sent_on=timezone.localdate(),
        sent_by=roles.user,
        snapshot=file_snapshot(pupil),
    )
    _save_transfer(transfer)
    _audit(transfer=transfer, user=roles.user, event=TransferEvent.SENT)
    logger.info("File transfer %s sent from school %s to school %s", transfer.pk, from_school.pk, to_school.pk)
    return transfer


@transaction.atomic
def record_outside_transfer(
    *,
    roles: PortalRoles,
    from_school: School,
    pupil_reference: str,
    outside_school_name: str,
    method: str,
    sent_on: datetime.date,
) -> FileTransfer:
    """Record that a pupil's file went to a school outside the portal: how and when."""
    _require_dsl_of(roles, from_school, "transfer its pupils' files")
    pupil = _pupil_on_roll(roles=roles, school=from_school, pupil_reference=pupil_reference)
    transfer = FileTransfer(
        pupil=pupil,
        from_school=from_school,
        outside_school_name=outside_school_name.strip(),
        method=method,
        sent_on=sent_on,
        sent_by=roles.user,
    )
    _save_transfer(transfer)
    _audit(transfer=transfer, user=roles.user, event=TransferEvent.SENT)
    return transfer


@transaction.atomic
def record_transfer_read(*, transfer: FileTransfer, roles: PortalRoles) -> FileTransfer:
    """A DSL of the receiving school opened the transferred file: recorded before it is shown. The
    first such opening marks the transfer received."""
    if transfer.to_school_id is None or transfer.to_school_id not in roles.dsl_school_ids:
        raise PermissionDenied("Only the receiving school's DSLs read a transferred file.")
    user = roles.user
    locked = FileTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status == TransferStatus.SENT:
        locked.status = TransferStatus.RECEIVED
        locked.received_at = timezone.now()
        locked.received_by = user
        locked.save(update_fields=["status", "received_at", "received_by"])
        _audit(transfer=locked, user=user, event=TransferEvent.RECEIVED)
    _audit(transfer=locked, user=user, event=TransferEvent.VIEWED)
    return locked


@transaction.atomic
def acknowledge_file_transfer(*, transfer: FileTransfer, roles: PortalRoles, new_pupil_reference: str) -> FileTransfer:
    """The receiving school's DSL acknowledges the file; the school's own record of the pupil starts
    (or, if it already has one under that reference, is linked), and the school continues it."""
    if transfer.to_school_id is None or transfer.to_school_id not in roles.dsl_school_ids:
        raise PermissionDenied("Only the receiving school's DSLs acknowledge a transferred file.")
    locked = FileTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status == TransferStatus.ACKNOWLEDGED:
        raise ValidationError({"new_pupil_reference": "This file has already been acknowledged"})
    reference = new_pupil_reference.strip().upper()
    candidate = Pupil(school_id=locked.to_school_id, reference=reference)
    try:
        candidate.clean_fields(exclude=["school"])
    except ValidationError as error:
        raise ValidationError({"new_pupil_reference": error.message_dict.get("reference", error.messages)}) from error
    pupil = pupil_of(locked.to_school_id, reference)
    if FileTransfer.objects.filter(receiving_pupil=pupil).exclude(pk=locked.pk).exists():
        raise ValidationError(
            {"new_pupil_reference": "This reference already holds another transferred file: check the reference"}
        )
    now = timezone.now()
    if locked.status == TransferStatus.SENT:
        # Acknowledged without the page being opened first (it always is in the portal): received now.
        locked.received_at, locked.received_by = now, roles.user
    locked.status = TransferStatus.ACKNOWLEDGED
    locked.acknowledged_at = now
    locked.acknowledged_by = roles.user
    locked.receiving_pupil = pupil
    locked.full_clean()
    locked.save()
    _audit(transfer=locked, user=roles.user, event=TransferEvent.ACKNOWLEDGED)
    return locked


@transaction.atomic
def record_outside_receipt(
    *, transfer: FileTransfer, roles: PortalRoles, confirmed_by: str, confirmed_on: datetime.date
) -> FileTransfer:
    """The sending school records who at the school outside the portal confirmed receipt, and when."""
    if not transfer.is_outside or transfer.from_school_id not in roles.dsl_school_ids:
        raise PermissionDenied("Only the sending school's DSLs record the receipt of a file sent outside the portal.")
    locked = FileTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status == TransferStatus.ACKNOWLEDGED:
        raise ValidationError({"confirmed_by": "The receipt of this file is already recorded"})
    locked.receipt_confirmed_by = confirmed_by.strip()
    locked.receipt_confirmed_on = confirmed_on
    locked.status = TransferStatus.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = roles.user
    try:
        locked.full_clean()
    except ValidationError as error:
        renamed = {"receipt_confirmed_on": "confirmed_on", "receipt_confirmed_by": "confirmed_by"}
        raise ValidationError({renamed.get(k, k): v for k, v in error.message_dict.items()}) from error
    locked.save()
    _audit(transfer=locked, user=roles.user, event=TransferEvent.RECEIPT_RECORDED)
    return locked


# Police attendance.


@transaction.atomic
def record_police_attendance(
    *,
    roles: PortalRoles,
    school: School,
    pupil_reference: str,
    attended_at: datetime.datetime,
    posted_officer: Officer | None,
    officer_name: str,
    collar_number: str,
    purpose: str,
    purpose_detail: str,
    parent_contacted: bool,
    appropriate_adult_present: bool,
    school_challenged: bool,
    challenge_detail: str,
) -> PoliceAttendance:
    _require_dsl_of(roles, school, "record police attendance there")
    if posted_officer is not None and not posted_officer.postings.current().filter(school=school).exists():
        raise ValidationError({"posted_officer": "This officer is not posted to the school: enter their name instead"})
    attendance = PoliceAttendance(
        school=school,
        attended_at=attended_at,
        posted_officer=posted_officer,
        officer_name=officer_name.strip(),
        collar_number=collar_number.strip(),
        purpose=purpose,
        purpose_detail=purpose_detail.strip(),
        parent_contacted=parent_contacted,
        appropriate_adult_present=appropriate_adult_present,
        school_challenged=school_challenged,
        challenge_detail=challenge_detail.strip() if school_challenged else "",
        recorded_by=roles.user,
    )
    attendance.full_clean(exclude=["pupil"])
    attendance.pupil = pupil_of(school.pk, _valid_reference(pupil_reference))
    attendance.save()
    return attendance


def _valid_reference(pupil_reference: str) -> str:
    reference = pupil_reference.strip().upper()
    try:
        Pupil(reference=reference).clean_fields(exclude=["school"])
    except ValidationError as error:
        raise ValidationError({"pupil_reference": error.message_dict.get("reference", error.messages)}) from error
    return reference


# Professional challenge.


def can_open_challenge(roles: PortalRoles, school: School) -> bool:
    """Any current DSL or posted SSO of the school."""
    return school.pk in roles.dsl_school_ids or school.pk in roles.sso_school_ids


@transaction.atomic
def open_challenge(
    *,
    roles: PortalRoles,
    school: School,
    pupil_reference: str,
    agency: str,
    decision: str,
    reason: str,
    opened_on: datetime.date,
) -> ProfessionalChallenge:
    if not can_open_challenge(roles, school):
        raise PermissionDenied("Only a DSL or the Safer Schools Officer of this school can open a challenge.")
    challenge = ProfessionalChallenge(
        school=school,
        agency=agency,
        decision=decision.strip(),
        reason=reason.strip(),
        opened_by=roles.user,
        opened_on=opened_on,
        last_step_on=opened_on,
    )
    challenge.full_clean(exclude=["pupil"])
    challenge.pupil = pupil_of(school.pk, _valid_reference(pupil_reference))
    challenge.save()
    ChallengeStep.objects.create(
        challenge=challenge,
        kind=StepKind.OPENED,
        stage=challenge.stage,
        on=opened_on,
        summary=challenge.reason,
        recorded_by=roles.user,
    )
    return challenge


def _require_open(challenge: ProfessionalChallenge, field: str) -> None:
    if not challenge.is_open:
        raise ValidationError({field: "This challenge is resolved: nothing more can be added"})


def _add_step(
    *, challenge: ProfessionalChallenge, roles: PortalRoles, kind: str, on: datetime.date, summary: str, responder=""
) -> ChallengeStep:
    step = ChallengeStep(
        challenge=challenge,
        kind=kind,
        stage=challenge.stage,
        on=on,
        responder=responder.strip(),
        summary=summary.strip(),
        recorded_by=roles.user,
    )
    step.full_clean()
    step.save()
    if on > challenge.last_step_on:
        challenge.last_step_on = on
        challenge.save(update_fields=["last_step_on"])
    return step


@transaction.atomic
def add_challenge_response(
    *, challenge: ProfessionalChallenge, roles: PortalRoles, on: datetime.date, responder: str, summary: str
) -> ChallengeStep:
    """A dated response from the agency (or a note of the school's reply) at the current stage."""
    challenge = ProfessionalChallenge.objects.select_for_update().get(pk=challenge.pk)
    _require_open(challenge, "summary")
    if not responder.strip():
        raise ValidationError({"responder": "Enter who responded"})
    return _add_step(
        challenge=challenge, roles=roles, kind=StepKind.RESPONSE, on=on, summary=summary, responder=responder
    )


@transaction.atomic
def escalate_challenge(
    *, challenge: ProfessionalChallenge, roles: PortalRoles, on: datetime.date, summary: str
) -> ProfessionalChallenge:
    """Move the challenge to the next stage of the escalation policy."""
    challenge = ProfessionalChallenge.objects.select_for_update().get(pk=challenge.pk)
    _require_open(challenge, "summary")
    next_stage = challenge.next_stage
    if next_stage is None:
        raise ValidationError(
            {"summary": f"The challenge is already at the last stage ({ChallengeStage.PARTNERSHIP.label})"}
        )
    challenge.stage = next_stage
    challenge.save(update_fields=["stage"])
    _add_step(challenge=challenge, roles=roles, kind=StepKind.ESCALATED, on=on, summary=summary)
    return challenge


@transaction.atomic
def resolve_challenge(
    *, challenge: ProfessionalChallenge, roles: PortalRoles, on: datetime.date, resolution: str
) -> ProfessionalChallenge:
    challenge = ProfessionalChallenge.objects.select_for_update().get(pk=challenge.pk)
    _require_open(challenge, "resolution")
    challenge.status = ChallengeStatus.RESOLVED
    challenge.resolution = resolution.strip()
    challenge.resolved_on = on
    challenge.resolved_by = roles.user
    challenge.full_clean()
    challenge.save()
    _add_step(challenge=challenge, roles=roles, kind=StepKind.RESOLVED, on=on, summary=challenge.resolution)
    return challenge
