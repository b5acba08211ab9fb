"""Reads for the casework pages: scoped lists, the transfer's readers, and the partnership's
suppressed counts of professional challenges."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet

from access.roles import PortalRoles, Viewer
from access.scopes import school_condition
from casework.models import (
    STAGE_ORDER,
    ChallengeStage,
    ChallengeStatus,
    FileTransfer,
    PoliceAttendance,
    ProfessionalChallenge,
    TransferAuditEntry,
)
from core.suppression import SUPPRESSED, Figure, is_disclosive, suppress_column


def transfer_list(*, roles: PortalRoles) -> QuerySet[FileTransfer]:
    return FileTransfer.objects.visible_to(roles).select_related("pupil", "from_school", "to_school").defer("snapshot")


def transfer_detail(*, roles: PortalRoles, transfer_id: int) -> FileTransfer:
    """One visible transfer; raises FileTransfer.DoesNotExist otherwise."""
    return (
        FileTransfer.objects.visible_to(roles)
        .select_related(
            "pupil", "from_school", "to_school", "sent_by", "received_by", "acknowledged_by", "receiving_pupil"
        )
        .get(pk=transfer_id)
    )


def transfer_audit(*, transfer: FileTransfer) -> QuerySet[TransferAuditEntry]:
    """Who sent, opened, read and acknowledged the file, newest first (the caller checked access)."""
    return transfer.audit_entries.select_related("user")


def attendance_list(*, roles: PortalRoles) -> QuerySet[PoliceAttendance]:
    return PoliceAttendance.objects.visible_to(roles).select_related("school", "pupil", "posted_officer")


def challenge_list(*, roles: PortalRoles) -> QuerySet[ProfessionalChallenge]:
    return ProfessionalChallenge.objects.visible_to(roles).select_related("school", "pupil")


def challenge_detail(*, roles: PortalRoles, challenge_id: int) -> ProfessionalChallenge:
    return (
        ProfessionalChallenge.objects.visible_to(roles)
        .select_related("school", "pupil", "opened_by", "resolved_by")
        .prefetch_related("steps__recorded_by")
        .get(pk=challenge_id)
    )


def challenges_counted_for(viewer: Viewer) -> QuerySet[ProfessionalChallenge]:
    """The challenges whose counts a BCU manager (every school) or a council reader (the schools of
    their local authorities) reads: never a challenge itself, only these counts."""
    if not (viewer.is_bcu_manager or viewer.is_council_reader):
        return ProfessionalChallenge.objects.none()
    scope = school_condition(
        viewer, school="school_id", local_authority="school__local_authority_id", with_readable=True
    )
    return ProfessionalChallenge.objects.filter(scope)


# Short enough for a table on a phone; the page spells each stage out under the table.
STAGE_SHORT_LABELS = {
    ChallengeStage.PRACTITIONER: "Practitioner",
    ChallengeStage.MANAGER: "Manager",
    ChallengeStage.PARTNERSHIP: "Partnership",
}


@dataclass(frozen=True)
class StageCounts:
    stage: str
    label: str
    open: Figure
    resolved: Figure
    median_days_to_resolve: int | float | str | None


def challenge_counts(*, viewer: Viewer) -> tuple[list[StageCounts], StageCounts]:
    """Challenges by stage (the stage reached), open and resolved, and the median days from
    opening to resolution; counts of 1 to 4 are suppressed ("c"), and a median is shown only
    beside a resolved count that is shown. One query."""
    rows = challenges_counted_for(viewer).values_list("stage", "status", "opened_on", "resolved_on")
    open_by_stage = dict.fromkeys(STAGE_ORDER, 0)
    days_by_stage: dict[str, list[int]] = {stage: [] for stage in STAGE_ORDER}
    for stage, status, opened_on, resolved_on in rows:
        if status == ChallengeStatus.OPEN:
            open_by_stage[stage] += 1
        else:
            days_by_stage[stage].append((resolved_on - opened_on).days)
    open_counts = [open_by_stage[stage] for stage in STAGE_ORDER]
    resolved_counts = [len(days_by_stage[stage]) for stage in STAGE_ORDER]
    shown_open, open_total = suppress_column(open_counts, sum(open_counts))
    shown_resolved, resolved_total = suppress_column(resolved_counts, sum(resolved_counts))

    def median(days: list[int], shown: Figure) -> int | float | str | None:
        if not days:
            return None
        if shown == SUPPRESSED or is_disclosive(len(days)):
            return SUPPRESSED
        return statistics.median(days)

    stage_rows = [
        StageCounts(
            stage=stage,
            label=STAGE_SHORT_LABELS[stage],
            open=shown_open[index],
            resolved=shown_resolved[index],
            median_days_to_resolve=median(days_by_stage[stage], shown_resolved[index]),
        )
        for index, stage in enumerate(STAGE_ORDER)
    ]
    every_day = [day for stage in STAGE_ORDER for day in days_by_stage[stage]]
    total = StageCounts(
        stage="",
        label="All",
        open=open_total,
        resolved=resolved_total,
        median_days_to_resolve=median(every_day, resolved_total),
    )
    return stage_rows, total


_SNAPSHOT_DATE_KEYS = ("logged_on", "on", "opened_on")


def readable_snapshot(snapshot: dict) -> dict:
    """The stored copy with its ISO dates turned back into dates, for the page to format."""

    def convert(value):
        if isinstance(value, list):
            return [convert(item) for item in value]
        if isinstance(value, dict):
            return {
                key: (datetime.date.fromisoformat(item) if key in _SNAPSHOT_DATE_KEYS and item else convert(item))
                for key, item in value.items()
            }
        return value

    return convert(snapshot)
