"""The change feed's log: recording changes as they are written, and sealing them in order.

``record_*`` functions run inside the writer's transaction (from the history hook in
``api.apps``), so a change and its log entry commit or roll back together. ``seal_changes``
gives every committed, unsealed entry a position above every position given before, under one
lock: positions therefore grow in the order entries become visible, and a cursor (the last
position a client read) never passes over a change committed later. ADR 0015 explains why.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable

from asgiref.local import Local
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from core.lookups import id_set
from officers.models import Officer, Posting, TrainingRecord
from officers.selectors import EXPIRING_WITHIN_DAYS
from safeguarding.models import Concern
from schools.models import DSLContact, LocalAuthority, School
from searches.models import SearchRecord
from workspace.models import Activity

from .models import CHANGE_KIND_SCOPES, STATISTICS_KINDS, ApiClient, Change, ChangeKind, DatedChangesRun

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
    """After a priority recompute: the latest run replaces every school's priority.

    One ``INSERT … SELECT`` (in school order, as the rows were written before): a run changes
    every school, 50,000 rows nationally, and building a ``Change`` instance for each cost more
    than the scoring itself."""
    change, school = Change._meta, School._meta
    columns = ["kind", "object_id", "public_id", "local_authority_id", "recorded_at"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(change.db_table)} "
            f"({', '.join(connection.ops.quote_name(change.get_field(name).column) for name in columns)}) "
            f"SELECT %s, {school.pk.column}, {school.get_field('urn').column}, "
            f"{school.get_field('local_authority').column}, %s "
            f"FROM {connection.ops.quote_name(school.db_table)} ORDER BY {school.pk.column}",
            [ChangeKind.SCHOOL, connection.ops.adapt_datetimefield_value(timezone.now())],
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
    # The client's statistics now count these authorities' records, or no longer do: every period.
    for pk, gss_code in (
        LocalAuthority.objects.filter(pk__any_of=authorities).order_by("pk").values_list("pk", "gss_code")
    ):
        for kind in STATISTICS_KINDS:
            rows.append(Change(kind=kind, object_id=pk, public_id=gss_code, local_authority_id=pk))
    for row in rows:
        row.client_id = client_id
    record_changes(rows)


# Date-driven changes (ADR 0021): representations that change with the date alone.


def changes_of_dates(*, after: datetime.date, through: datetime.date) -> list[Change]:
    """The changes that the days after ``after`` up to ``through`` made with no write: postings
    that started or ended (in or out of their school's current postings, and their officer in or
    out of the authority's training compliance list), and officers whose compliance with a
    required course changed (a course completed on a future date that now counts, one now
    expiring within EXPIRING_WITHIN_DAYS days, one expired). Each record once, in a fixed order.
    """
    changes: dict[tuple[str, int, int], Change] = {}

    def add(kind: str, object_id: int, public_id: str, local_authority_id: int) -> None:
        changes.setdefault(
            (kind, object_id, local_authority_id),
            Change(kind=kind, object_id=object_id, public_id=public_id, local_authority_id=local_authority_id),
        )

    # A posting is current from its start date to its end date inclusive: it joins on its start
    # date and leaves the day after its end date.
    started_or_ended = Q(start_date__gt=after, start_date__lte=through) | Q(end_date__gte=after, end_date__lt=through)
    postings = Posting.objects.filter(started_or_ended).order_by("pk")
    for pk, school_id, urn, la, officer_id, collar in postings.values_list(
        "pk", "school_id", "school__urn", "school__local_authority_id", "officer_id", "officer__collar_number"
    ):
        add(ChangeKind.POSTING, pk, str(pk), la)
        add(ChangeKind.SCHOOL, school_id, urn, la)
        add(ChangeKind.TRAINING_COMPLIANCE, officer_id, collar, la)

    warning = datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    compliance_changed = (
        Q(completed_on__gt=after, completed_on__lte=through)
        | Q(expires_on__gt=after, expires_on__lte=through)
        | Q(expires_on__gt=after + warning, expires_on__lte=through + warning)
    )
    officers = TrainingRecord.objects.filter(compliance_changed, course__required_for_sso=True).values("officer_id")
    for officer_id, collar, la in (
        Posting.objects.filter(officer_id__in=officers)
        .order_by("officer_id", "school__local_authority_id")
        .values_list("officer_id", "officer__collar_number", "school__local_authority_id")
        .distinct()
    ):
        add(ChangeKind.TRAINING_COMPLIANCE, officer_id, collar, la)
    return list(changes.values())


def record_dated_changes(*, today: datetime.date) -> int:
    """Record the date-driven changes of every day since the last run up to ``today``, once:
    returns how many changes were recorded (0 when today's are recorded already).

    One transaction: today's run is written first, so a second run at the same time waits for
    the first and finds today done (the run's day is unique), and a run that fails leaves
    nothing, to be caught up by the next one. A database that never ran records today only.
    """
    with transaction.atomic():
        last = DatedChangesRun.objects.filter(day__lte=today).order_by("-day").values_list("day", flat=True).first()
        if last is not None and last >= today:
            return 0
        try:
            with transaction.atomic():
                DatedChangesRun.objects.create(day=today)
        except IntegrityError:
            return 0  # a run at the same time recorded today
        changes = changes_of_dates(after=last or today - datetime.timedelta(days=1), through=today)
        record_changes(changes)
        return len(changes)


# Statistics refreshes (ADR 0021): one entry per statistics resource and local authority per
# transaction, naming the whole months whose figures changed.

# What this thread's open transaction wrote, by (kind, local authority): the change's id.
_written = Local()


def _month_span(days: Iterable[datetime.date]) -> tuple[datetime.date, datetime.date]:
    first, last = min(days), max(days)
    return first.replace(day=1), last.replace(day=calendar.monthrange(last.year, last.month)[1])


def record_statistics_refresh(*, kind: str, school_days: Iterable[tuple[int | None, datetime.date]]) -> None:
    """The statistics of ``kind`` changed for these (school id, London day) pairs: an entry per
    local authority of those schools (searches not at a school count for no council), naming
    the months of those days. Within one transaction a second change of the same resource and
    authority widens the entry already written instead of adding another."""
    days_by_school: dict[int, list[datetime.date]] = {}
    for school_id, day in school_days:
        if school_id is not None:
            days_by_school.setdefault(school_id, []).append(day)
    if not days_by_school:
        return
    days_by_authority: dict[tuple[int, str], list[datetime.date]] = {}
    for school_id, la, gss_code in School.objects.filter(pk__in=days_by_school).values_list(
        "pk", "local_authority_id", "local_authority__gss_code"
    ):
        days_by_authority.setdefault((la, gss_code), []).extend(days_by_school[school_id])
    for (la, gss_code), days in sorted(days_by_authority.items()):
        start, end = _month_span(days)
        _record_statistics_change(kind=kind, local_authority_id=la, gss_code=gss_code, start=start, end=end)


def _record_statistics_change(
    *, kind: str, local_authority_id: int, gss_code: str, start: datetime.date, end: datetime.date
) -> None:
    in_transaction = connection.in_atomic_block
    written: dict = getattr(_written, "changes", None) or {}
    key = (connection.alias, kind, local_authority_id)
    if in_transaction and key in written:
        # Still this transaction's own (uncommitted, so unsealed) entry, unless a rollback took it.
        mine = Change.objects.filter(
            pk=written[key],
            kind=kind,
            local_authority_id=local_authority_id,
            client__isnull=True,
            period_start__isnull=False,
            position__isnull=True,
        ).first()
        if mine is not None:
            mine.period_start, mine.period_end = min(mine.period_start, start), max(mine.period_end, end)
            mine.save(update_fields=["period_start", "period_end"])
            return
    change = Change.objects.create(
        kind=kind,
        object_id=local_authority_id,
        public_id=gss_code,
        local_authority_id=local_authority_id,
        period_start=start,
        period_end=end,
    )
    if in_transaction:
        written[key] = change.pk
        _written.changes = written
        transaction.on_commit(lambda: written.pop(key, None))


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _statistics_days(record, previous) -> list[tuple[int | None, datetime.date]]:
    """(school id, day) of a search, concern or activity, and of its previous version."""
    versions = [record] + ([previous] if previous is not None else [])
    if isinstance(record, SearchRecord):
        return [(v.school_id, _local_day(v.searched_at)) for v in versions]
    if isinstance(record, Concern):
        return [(v.school_id, _local_day(v.created_at)) for v in versions]
    return [(v.school_id, v.occurred_on) for v in versions]


STATISTICS_OF = {
    SearchRecord: ChangeKind.SEARCH_STATISTICS,
    Concern: ChangeKind.CONCERN_STATISTICS,
    Activity: ChangeKind.ACTIVITY_SUMMARY,
}


def record_statistics_of(record, *, history_type: str, previous=None) -> None:
    """A search, concern or activity was created (``+``), changed (``~``, ``previous`` is the
    version before) or deleted (``-``): the statistics counting it, before and after, changed."""
    record_statistics_refresh(
        kind=STATISTICS_OF[type(record)],
        school_days=_statistics_days(record, previous if history_type == "~" else None),
    )


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
