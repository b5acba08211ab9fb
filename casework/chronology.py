"""The pupil chronology's casework sources: transfers of the file, police attendances and
professional challenges, each only for viewers who may read the record (``visible_to``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from casework.models import FileTransfer, PoliceAttendance, ProfessionalChallenge, start_of_day
from safeguarding.chronology import ChronologyEntry, register_chronology_source
from safeguarding.models import Pupil


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def transfer_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    """For the sending school: its transfers of the pupil's file. For the receiving school: the file
    that started this record."""
    transfers = (
        FileTransfer.objects.visible_to(roles)
        .filter(Q(pupil=pupil) | Q(receiving_pupil=pupil))
        .select_related("from_school", "to_school", "sent_by", "received_by", "acknowledged_by")
        .defer("snapshot")
    )
    for transfer in transfers:
        url = reverse("casework:transfer-detail", args=[transfer.pk])
        incoming = transfer.receiving_pupil_id == pupil.pk
        sent_title = (
            f"File received from {transfer.from_school.name}" if incoming else f"File sent to {transfer.destination}"
        )
        yield ChronologyEntry(
            occurred_at=transfer.sent_at if transfer.to_school_id else start_of_day(transfer.sent_on),
            category="transfer",
            title=sent_title,
            detail=transfer.get_method_display() if transfer.method else "Sent in the portal",
            url=url,
            recorded_by=_name(transfer.sent_by),
        )
        if transfer.acknowledged_at:
            who = _name(transfer.acknowledged_by)
            detail = f"Receipt confirmed by {transfer.receipt_confirmed_by}" if transfer.is_outside else ""
            yield ChronologyEntry(
                occurred_at=transfer.acknowledged_at,
                category="transfer",
                title="File acknowledged by the new school"
                if not transfer.is_outside
                else "Receipt of the file recorded",
                detail=detail,
                url=url,
                recorded_by=who,
            )


def attendance_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    attendances = (
        PoliceAttendance.objects.visible_to(roles).filter(pupil=pupil).select_related("recorded_by", "posted_officer")
    )
    for attendance in attendances:
        flags = [
            "parent contacted" if attendance.parent_contacted else "parent not contacted",
            "appropriate adult present" if attendance.appropriate_adult_present else "no appropriate adult",
        ]
        if attendance.school_challenged:
            flags.append("the school challenged")
        yield ChronologyEntry(
            occurred_at=attendance.attended_at,
            category="police",
            title=f"Police attendance: {attendance.get_purpose_display().lower()}",
            detail=f"{attendance.officer_description}; {', '.join(flags)}.",
            url=reverse("casework:attendance-list"),
            recorded_by=_name(attendance.recorded_by),
        )


def challenge_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    challenges = (
        ProfessionalChallenge.objects.visible_to(roles).filter(pupil=pupil).prefetch_related("steps__recorded_by")
    )
    for challenge in challenges:
        url = reverse("casework:challenge-detail", args=[challenge.pk])
        for step in challenge.steps.all():
            yield ChronologyEntry(
                occurred_at=start_of_day(step.on)
                if step.on != timezone.localdate(step.recorded_at)
                else step.recorded_at,
                category="challenge",
                title=f"Challenge to {challenge.get_agency_display().lower()}: {step.get_kind_display().lower()}",
                detail=f"Stage: {step.get_stage_display()}",
                url=url,
                recorded_by=_name(step.recorded_by),
            )


register_chronology_source("transfer", "Transfers", transfer_entries)
register_chronology_source("police", "Police attendance", attendance_entries)
register_chronology_source("challenge", "Professional challenge", challenge_entries)
