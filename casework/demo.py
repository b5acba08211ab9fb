"""Fictional demo data for casework: transfers of the child protection file between the two demo
DSLs' schools and to a school outside the portal, police attendances, and professional challenges
at each stage of escalation.

Pupils are the invented references of the safeguarding demo; every text is made up. Records are
created if missing and never updated, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from safeguarding.demo import DEMO_DSL_USERNAMES, DEMO_SSO_USERNAME
from safeguarding.models import Pupil, pupil_of

from .models import (
    AttendancePurpose,
    ChallengedAgency,
    ChallengeStage,
    ChallengeStatus,
    ChallengeStep,
    FileTransfer,
    PoliceAttendance,
    ProfessionalChallenge,
    StepKind,
    TransferAuditEntry,
    TransferEvent,
    TransferMethod,
    TransferStatus,
)
from .services import file_snapshot

# The pupil left for the second DSL's school, whose DSL acknowledged the file under its own reference.
ACKNOWLEDGED_TRANSFER = (
    "RB-2026-007",
    "HW-2026-040",
    12,
    10,
)  # old reference, new one, sent and acknowledged days ago
# A file the second school sent to one outside the portal, whose receipt is not recorded yet.
OUTSIDE_TRANSFER = ("HW-2026-003", "Fellside Primary School, Kendal", TransferMethod.SECURE_EMAIL, 8)
# A file the second school sent to the first, not opened yet.
INCOMING_TRANSFER = ("HW-2026-011", 2)

# (reference, days ago, hour, purpose, what happened, parent contacted, appropriate adult, challenge)
ATTENDANCES = [
    (
        "RB-2026-030",
        5,
        13,
        AttendancePurpose.INTERVIEW,
        "Two officers from the exploitation team asked to speak to the pupil about a car seen after school.",
        True,
        True,
        "",
    ),
    (
        "RB-2026-014",
        2,
        10,
        AttendancePurpose.SEARCH,
        "Response officers attended after a report that the pupil had a knife; nothing was found.",
        False,
        False,
        "Asked that the search wait for a parent or an appropriate adult; officers said it was urgent. "
        "Raised with the duty inspector the same day.",
    ),
]

# (reference, school index, agency, decision, reason, stage reached, opened days ago, resolved days ago or None)
CHALLENGES = [
    (
        "RB-2026-030",
        0,
        ChallengedAgency.SOCIAL_CARE,
        "Referral closed after a single home visit with no further action.",
        "The pupil is still collected by older young people most days; the risk of exploitation is unchanged.",
        ChallengeStage.MANAGER,
        15,
        None,
    ),
    (
        "RB-2026-014",
        0,
        ChallengedAgency.POLICE,
        "The pupil was searched at school without a parent or appropriate adult present.",
        "The school asked for an appropriate adult and was told it was not needed.",
        ChallengeStage.PRACTITIONER,
        2,
        None,
    ),
    (
        "HW-2026-011",
        1,
        ChallengedAgency.SOCIAL_CARE,
        "Strategy discussion not held after the bruising was reported.",
        "Unexplained bruising on a primary-age child meets the threshold for a strategy discussion.",
        ChallengeStage.PARTNERSHIP,
        40,
        8,
    ),
] + [
    (
        reference,
        0,
        ChallengedAgency.EARLY_HELP,
        "Early help assessment refused because the family declined a home visit.",
        "The family agreed to meet at school instead; the assessment can go ahead there.",
        ChallengeStage.PRACTITIONER,
        opened,
        resolved,
    )
    for reference, opened, resolved in [
        ("RB-2026-021", 60, 52),
        ("RB-2026-044", 75, 70),
        ("RB-2026-051", 90, 79),
        ("RB-2026-058", 120, 113),
        ("RB-2026-063", 150, 146),
    ]
]


def load_demo_casework(rng: random.Random) -> dict[str, int]:
    created = {"file transfers": 0, "police attendances": 0, "professional challenges": 0}
    users = get_user_model().objects.in_bulk(list(DEMO_DSL_USERNAMES) + [DEMO_SSO_USERNAME], field_name="username")
    if len(users) < 3:
        return created
    first_dsl, second_dsl = users[DEMO_DSL_USERNAMES[0]], users[DEMO_DSL_USERNAMES[1]]
    first_school = first_dsl.dsl_contacts.filter(is_current=True).first().school
    second_school = second_dsl.dsl_contacts.filter(is_current=True).first().school
    now = timezone.now()
    today = timezone.localdate()

    def ago(days: int, hour: int = 9) -> datetime.datetime:
        day = today - datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())

    created["file transfers"] += _transfers(first_school, second_school, first_dsl, second_dsl, ago)

    for reference, days, hour, purpose, detail, parent, adult, challenge in ATTENDANCES:
        pupil = pupil_of(first_school.pk, reference)
        _, was_created = PoliceAttendance.objects.get_or_create(
            school=first_school,
            pupil=pupil,
            purpose=purpose,
            defaults={
                "attended_at": ago(days, hour),
                "posted_officer": None,
                "officer_name": "PC Morgan Hale" if purpose == AttendancePurpose.SEARCH else "DC Priya Nair",
                "collar_number": f"{rng.randint(1000, 9999)}",
                "purpose_detail": detail,
                "parent_contacted": parent,
                "appropriate_adult_present": adult,
                "school_challenged": bool(challenge),
                "challenge_detail": challenge,
                "recorded_by": first_dsl,
                "recorded_at": min(now, ago(days, hour + 2)),
            },
        )
        created["police attendances"] += was_created

    sso = users[DEMO_SSO_USERNAME]
    for reference, school_index, agency, decision, reason, stage, opened, resolved in CHALLENGES:
        school, dsl = (first_school, first_dsl) if school_index == 0 else (second_school, second_dsl)
        opener = sso if agency == ChallengedAgency.POLICE else dsl
        created["professional challenges"] += _challenge(
            school, dsl, opener, reference, agency, decision, reason, stage, opened, resolved, today
        )
    return created


def _transfers(first_school, second_school, first_dsl, second_dsl, ago) -> int:
    created = 0
    old_reference, new_reference, sent_days, acknowledged_days = ACKNOWLEDGED_TRANSFER
    pupil = Pupil.objects.filter(school=first_school, reference=old_reference).first()
    if pupil is not None and not FileTransfer.objects.filter(pupil=pupil).exists():
        transfer = FileTransfer.objects.create(
            pupil=pupil,
            from_school=first_school,
            to_school=second_school,
            status=TransferStatus.ACKNOWLEDGED,
            sent_on=ago(sent_days).date(),
            sent_at=ago(sent_days, 11),
            sent_by=first_dsl,
            received_at=ago(sent_days, 14),
            received_by=second_dsl,
            acknowledged_at=ago(acknowledged_days, 10),
            acknowledged_by=second_dsl,
            receiving_pupil=pupil_of(second_school.pk, new_reference),
            snapshot=file_snapshot(pupil),
        )
        for event, user, at in [
            (TransferEvent.SENT, first_dsl, transfer.sent_at),
            (TransferEvent.RECEIVED, second_dsl, transfer.received_at),
            (TransferEvent.VIEWED, second_dsl, transfer.received_at),
            (TransferEvent.VIEWED, second_dsl, transfer.acknowledged_at),
            (TransferEvent.ACKNOWLEDGED, second_dsl, transfer.acknowledged_at),
        ]:
            TransferAuditEntry.objects.create(transfer=transfer, user=user, event=event, at=at)
        created += 1

    reference, school_name, method, sent_days = OUTSIDE_TRANSFER
    pupil = Pupil.objects.filter(school=second_school, reference=reference).first()
    if pupil is not None and not FileTransfer.objects.filter(pupil=pupil).exists():
        transfer = FileTransfer.objects.create(
            pupil=pupil,
            from_school=second_school,
            outside_school_name=school_name,
            method=method,
            sent_on=ago(sent_days).date(),
            sent_at=ago(sent_days, 15),
            sent_by=second_dsl,
        )
        TransferAuditEntry.objects.create(
            transfer=transfer, user=second_dsl, event=TransferEvent.SENT, at=transfer.sent_at
        )
        created += 1

    reference, sent_days = INCOMING_TRANSFER
    pupil = Pupil.objects.filter(school=second_school, reference=reference).first()
    if pupil is not None and not FileTransfer.objects.filter(pupil=pupil).exists():
        transfer = FileTransfer.objects.create(
            pupil=pupil,
            from_school=second_school,
            to_school=first_school,
            sent_on=ago(sent_days).date(),
            sent_at=ago(sent_days, 12),
            sent_by=second_dsl,
            snapshot=file_snapshot(pupil),
        )
        TransferAuditEntry.objects.create(
            transfer=transfer, user=second_dsl, event=TransferEvent.SENT, at=transfer.sent_at
        )
        created += 1
    return created


def _challenge(school, dsl, opener, reference, agency, decision, reason, stage, opened, resolved, today) -> int:
    pupil = pupil_of(school.pk, reference)
    if ProfessionalChallenge.objects.filter(pupil=pupil, decision=decision).exists():
        return 0
    opened_on = today - datetime.timedelta(days=opened)
    resolved_on = today - datetime.timedelta(days=resolved) if resolved is not None else None
    challenge = ProfessionalChallenge.objects.create(
        school=school,
        pupil=pupil,
        agency=agency,
        decision=decision,
        reason=reason,
        stage=stage,
        status=ChallengeStatus.RESOLVED if resolved_on else ChallengeStatus.OPEN,
        opened_by=opener,
        opened_on=opened_on,
        resolution="The agency agreed to reopen the case and hold the meeting asked for." if resolved_on else "",
        resolved_on=resolved_on,
        resolved_by=dsl if resolved_on else None,
        last_step_on=opened_on,
    )
    steps = [(StepKind.OPENED, ChallengeStage.PRACTITIONER, opened_on, "", reason)]
    day = opened_on
    for reached in list(ChallengeStage)[1 : list(ChallengeStage).index(stage) + 1]:
        day = min(today, day + datetime.timedelta(days=3))
        steps.append((StepKind.RESPONSE, steps[-1][1], day, "Team manager", "The decision stands."))
        day = min(today, day + datetime.timedelta(days=2))
        steps.append((StepKind.ESCALATED, reached, day, "", "No agreement at the previous stage."))
    if resolved_on:
        steps.append((StepKind.RESOLVED, stage, resolved_on, "", challenge.resolution))
    for kind, step_stage, on, responder, summary in steps:
        ChallengeStep.objects.create(
            challenge=challenge,
            kind=kind,
            stage=step_stage,
            on=on,
            responder=responder,
            summary=summary,
            recorded_by=opener,
        )
    challenge.last_step_on = max(on for _, _, on, _, _ in steps)
    challenge.save(update_fields=["last_step_on"])
    return 1
