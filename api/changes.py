"""The change feed's log: recording changes as they are written, and sealing them in order.

``record_*`` functions run inside the writer's transaction (from the history hook in
``api.apps``), so a change and its log entry commit or roll back together. ``seal_changes``
gives every committed, unsealed entry a position above every position given before, under one
lock: positions therefore grow in the order entries become visible, and a cursor (the last
position a client read) never passes over a change committed later. ADR 0015 explains why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Max, Q

from core.lookups import id_set
from officers.models import Officer, Posting, TrainingRecord
from schools.models import DSLContact, School

from .models import CHANGE_KIND_SCOPES, ApiClient, Change, ChangeKind

# pg_advisory_xact_lock key of the sealer ("SSOF" as an int): one sealer at a time.
SEAL_LOCK_KEY = 0x53534F46
SEAL_BATCH = 5000
CURSOR_PREFIX = "c1."
# A version prefix and a position: opaque to clients, who pass it back as it came.
CURSOR_PATTERN = re.compile(r"c1\.(0|[1-9][0-9]{0,17})")


def _school_change(school: School) -> Change:
    return Change(
        kind=ChangeKind.SCHOOL,
        object_id=school.pk,
        public_id=school.urn,
        local_authority_id=school.local_authority_id,
    )


def changes_of_school(school: School) -> list[Change]:
    return [_school_change(school)]


def changes_of_posting(posting: Posting) -> list[Change]:
    """The posting, its school (whose current postings it is among) and its officer's compliance."""
    school = School.objects.filter(pk=posting.school_id).only("pk", "urn", "local_authority_id").first()
    if school is None:
        return []
    officer = Officer.objects.filter(pk=posting.officer_id).only("pk", "collar_number").first()
    changes = [
        Change(
            kind=ChangeKind.POSTING,
            object_id=posting.pk,
            public_id=str(posting.pk),
            local_authority_id=school.local_authority_id,
        ),
        _school_change(school),
    ]
    if officer is not None:
        changes.append(_compliance_change(officer, school.local_authority_id))
    return changes


def changes_of_dsl_contact(contact: DSLContact) -> list[Change]:
    local_authority_id = (
        School.objects.filter(pk=contact.school_id).values_list("local_authority_id", flat=True).first()
    )
    if local_authority_id is None:
        return []
    return [
        Change(
            kind=ChangeKind.DSL_CONTACT,
            object_id=contact.pk,
            public_id=str(contact.pk),
            local_authority_id=local_authority_id,
        )
    ]


def _compliance_change(officer: Officer, local_authority_id: int) -> Change:
    return Change(
        kind=ChangeKind.TRAINING_COMPLIANCE,
        object_id=officer.pk,
        public_id=officer.collar_number,
        local_authority_id=local_authority_id,
    )


def changes_of_officer(officer: Officer) -> list[Change]:
    """Their compliance, postings and posted schools, in every local authority they were ever
    posted to (name and rank show in all three)."""
    postings = list(Posting.objects.filter(officer_id=officer.pk).select_related("school"))
    changes = [_compliance_change(officer, la) for la in sorted({p.school.local_authority_id for p in postings})]
    for posting in postings:
        changes.append(
            Change(
                kind=ChangeKind.POSTING,
                object_id=posting.pk,
                public_id=str(posting.pk),
                local_authority_id=posting.school.local_authority_id,
            )
        )
        changes.append(_school_change(posting.school))
    return changes


def changes_of_training_record(record: TrainingRecord) -> list[Change]:
    officer = Officer.objects.filter(pk=record.officer_id).only("pk", "collar_number").first()
    if officer is None:
        return []
    authorities = Posting.objects.filter(officer_id=officer.pk).values_list("school__local_authority_id", flat=True)
    return [_compliance_change(officer, la) for la in sorted(set(authorities))]


CHANGES_OF = {
    School: changes_of_school,
    Posting: changes_of_posting,
    DSLContact: changes_of_dsl_contact,
    Officer: changes_of_officer,
    TrainingRecord: changes_of_training_record,
}


def record_changes(changes: Iterable[Change]) -> None:
    Change.objects.bulk_create(list(changes), batch_size=1000)


def record_every_school() -> None:
    """After a priority recompute: the latest run replaces every school's priority."""
    record_changes(
        Change(kind=ChangeKind.SCHOOL, object_id=pk, public_id=urn, local_authority_id=la)
        for pk, urn, la in School.objects.order_by("pk").values_list("pk", "urn", "local_authority_id").iterator()
    )


def record_schools(*, urns: list[str]) -> None:
    """After a bulk write of schools (the school register and census imports)."""
    record_changes(
        Change(kind=ChangeKind.SCHOOL, object_id=pk, public_id=urn, local_authority_id=la)
        for pk, urn, la in School.objects.filter(urn__in=urns)
        .order_by("pk")
        .values_list("pk", "urn", "local_authority_id")
    )


def record_grant_change(*, client_id: int, local_authority_ids: Iterable[int]) -> None:
    """A client gained or lost local authorities: every record of them, for that client alone
    (read then as the record, or as a deletion marker once the grant is gone)."""
    authorities = id_set(local_authority_ids)
    if not authorities:
        return
    schools = School.objects.filter(local_authority_id__any_of=authorities)
    rows: list[Change] = []
    for pk, urn, la in schools.order_by("pk").values_list("pk", "urn", "local_authority_id"):
        rows.append(Change(kind=ChangeKind.SCHOOL, object_id=pk, public_id=urn, local_authority_id=la))
    postings = Posting.objects.filter(school__local_authority_id__any_of=authorities).order_by("pk")
    for pk, officer_id, collar, la in postings.values_list(
        "pk", "officer_id", "officer__collar_number", "school__local_authority_id"
    ):
        rows.append(Change(kind=ChangeKind.POSTING, object_id=pk, public_id=str(pk), local_authority_id=la))
        rows.append(
            Change(kind=ChangeKind.TRAINING_COMPLIANCE, object_id=officer_id, public_id=collar, local_authority_id=la)
        )
    contacts = DSLContact.objects.filter(school__local_authority_id__any_of=authorities).order_by("pk")
    for pk, la in contacts.values_list("pk", "school__local_authority_id"):
        rows.append(Change(kind=ChangeKind.DSL_CONTACT, object_id=pk, public_id=str(pk), local_authority_id=la))
    for row in rows:
        row.client_id = client_id
    record_changes(rows)


def seal_changes() -> int:
    """Give every committed unsealed change a position above all given before, in id order;
    returns the highest position given so far.

    Under one lock (PostgreSQL advisory lock; SQLite allows one writer anyway), so two sealers
    never hand out the same positions, and each sees what the one before it sealed.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
        last = Change.objects.aggregate(last=Max("position"))["last"] or 0
        while True:
            pending = list(
                Change.objects.filter(position__isnull=True).order_by("id").values_list("id", flat=True)[:SEAL_BATCH]
            )
            if not pending:
                return last
            # Positions keep the id order and start above the last position given.
            offset = max(last - pending[0] + 1, 0)
            Change.objects.filter(id__in=pending).update(position=F("id") + offset)
            last = pending[-1] + offset


def encode_cursor(position: int) -> str:
    return f"{CURSOR_PREFIX}{position}"


def decode_cursor(cursor: str) -> int | None:
    """The position in a cursor this feed gave, or None if it is not one."""
    if not CURSOR_PATTERN.fullmatch(cursor):
        return None
    return int(cursor.removeprefix(CURSOR_PREFIX))


def changes_after(*, client: ApiClient, position: int, limit: int) -> list[Change]:
    """Up to ``limit`` sealed changes after ``position`` the client may see, in position order:
    of the kinds its scopes allow, in its granted local authorities or addressed to it."""
    kinds = [kind for kind, scope in CHANGE_KIND_SCOPES.items() if client.has_scope(scope)]
    granted = client.granted_local_authority_ids
    audience = Q(client_id=client.pk)
    if granted:
        audience |= Q(client__isnull=True, local_authority_id__any_of=id_set(granted))
    return list(Change.objects.filter(audience, position__gt=position, kind__in=kinds).order_by("position")[:limit])
