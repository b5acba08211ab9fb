"""Reads for the DSL portal: scoped lists, the dashboard, aggregate statistics, notification
recipients, and the access log of concerns."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from access.roles import PortalRoles
from core.suppression import suppress_column, suppress_part
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import deliveries_of
from officers.models import OfficerStatus, Posting, Rank
from safeguarding.models import (
    ACTIVE_STATUSES,
    READ_EVENTS,
    AuditChannel,
    AuditEvent,
    BodyMapMark,
    Category,
    Concern,
    ConcernAuditEntry,
    ConcernStatus,
    Pupil,
    StaffReport,
    Task,
)
from schools.models import DSLContact, School


def concern_list(*, roles: PortalRoles) -> QuerySet[Concern]:
    """The concerns the user may see, with what a list row shows loaded in the same query."""
    return Concern.objects.visible_to(roles).select_related("school")


def concern_detail(*, roles: PortalRoles, concern_id: int) -> Concern:
    """One visible concern with its chronology and attachments; raises Concern.DoesNotExist otherwise."""
    return (
        Concern.objects.visible_to(roles)
        .select_related("school", "logged_by")
        .prefetch_related("actions__recorded_by", "attachments")
        .get(pk=concern_id)
    )


def portal_schools(*, roles: PortalRoles) -> QuerySet[School]:
    """The schools whose concerns the user works with (as DSL or posted SSO), each annotated with
    counts of the concerns the user can see there."""
    dsl_schools, sso_schools = roles.dsl_school_ids, roles.sso_school_ids
    visible = Q(concerns__school_id__in=dsl_schools) | Q(
        concerns__school_id__in=sso_schools, concerns__shared_with_police=True
    )
    return (
        School.objects.visible_to(roles)
        .filter(pk__in=dsl_schools | sso_schools)
        .annotate(
            open_concerns=Count("concerns", filter=visible & Q(concerns__status=ConcernStatus.OPEN)),
            under_review_concerns=Count("concerns", filter=visible & Q(concerns__status=ConcernStatus.UNDER_REVIEW)),
            referred_concerns=Count("concerns", filter=visible & Q(concerns__status=ConcernStatus.REFERRED)),
            shared_concerns=Count("concerns", filter=visible & Q(concerns__shared_with_police=True)),
        )
        .order_by("name")
    )


def portal_school_choices(*, roles: PortalRoles) -> QuerySet[School]:
    """The schools a user works with as DSL or posted SSO, for a filter's choices."""
    return School.objects.visible_to(roles).filter(pk__in=roles.dsl_school_ids | roles.sso_school_ids).order_by("name")


def dsl_schools(*, roles: PortalRoles) -> QuerySet[School]:
    """The schools a user may log concerns for: those where they are a current DSL contact."""
    return School.objects.visible_to(roles).filter(pk__in=roles.dsl_school_ids).order_by("name")


def dsl_contacts_of(*, roles: PortalRoles) -> QuerySet[DSLContact]:
    """The user's own current DSL contact records (one per school), for confirming details."""
    return (
        DSLContact.objects.visible_to(roles)
        .filter(user=roles.user, is_current=True)
        .select_related("school")
        .order_by("school__name")
    )


def contact_details_due(*, roles: PortalRoles, on: datetime.date) -> bool:
    """Whether any of the user's current DSL contact records is due for its yearly re-confirmation
    on ``on`` (the rule the "dsl-reconfirm" reminder follows)."""
    return DSLContact.objects.visible_to(roles).filter(user=roles.user).due_for_reconfirmation(on).exists()


def concern_statistics(
    *,
    schools: QuerySet[School],
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[dict]:
    """Counts of concerns per school (by category, by status, shared with police); never contents.

    ``date_from`` and ``date_to`` are inclusive and compare the day (Europe/London) a concern was logged.
    One query, however many schools.
    """
    in_range = Q()
    if date_from is not None:
        in_range &= Q(concerns__created_at__date__gte=date_from)
    if date_to is not None:
        in_range &= Q(concerns__created_at__date__lte=date_to)
    annotations = {"total": Count("concerns", filter=in_range)}
    annotations |= {f"category_{c}": Count("concerns", filter=in_range & Q(concerns__category=c)) for c in Category}
    annotations |= {f"status_{s}": Count("concerns", filter=in_range & Q(concerns__status=s)) for s in ConcernStatus}
    annotations["shared"] = Count("concerns", filter=in_range & Q(concerns__shared_with_police=True))
    rows = schools.annotate(**annotations).order_by("name").values("pk", "urn", "name", *annotations)
    return [
        {
            "school_id": row["pk"],
            "urn": row["urn"],
            "name": row["name"],
            "total": row["total"],
            "by_category": {c.value: row[f"category_{c}"] for c in Category},
            "by_status": {s.value: row[f"status_{s}"] for s in ConcernStatus},
            "shared_with_police": row["shared"],
        }
        for row in rows
    ]


# The e-mail telling the posted officers that a concern was shared with them, as its deliveries
# are recorded (``notifications.models.Delivery``): kind, and object key of the concern.
SHARED_CONCERN_NOTICE = "shared-concern"


def concern_key(concern_id: int) -> str:
    return f"concern:{concern_id}"


# What a DSL is told of the reason an e-mail failed, by the error's type: never the mail server's words.
FAILURE_REASONS = {
    "SMTPRecipientsRefused": "the mail server refused the officer's address",
    "SMTPSenderRefused": "the mail server refused the portal's address",
    "SMTPAuthenticationError": "the portal could not sign in to the mail server",
}
UNREACHABLE_ERRORS = (
    "SMTPServerDisconnected",
    "SMTPConnectError",
    "ConnectionRefusedError",
    "TimeoutError",
    "OSError",
)


def notice_failure_reason(last_error: str) -> str:
    """A DSL's reading of a delivery's recorded error: its kind, not its details."""
    error_type = last_error.partition(":")[0]
    if error_type in FAILURE_REASONS:
        return FAILURE_REASONS[error_type]
    if error_type in UNREACHABLE_ERRORS or error_type.endswith("ConnectionError"):
        return "the mail server could not be reached"
    return "the mail server reported an error"


def shared_concern_notices(*, concern: Concern) -> list[Delivery]:
    """The e-mails telling officers of the concern's sharing, each with its state (one query; none,
    and no query, for a concern not shared). A failed one carries ``failure_reason``."""
    if not concern.shared_with_police:
        return []
    notices = deliveries_of(kind=SHARED_CONCERN_NOTICE, object_key=concern_key(concern.pk))
    for notice in notices:
        notice.failure_reason = (
            notice_failure_reason(notice.last_error) if notice.status == DeliveryStatus.FAILED else ""
        )
    return notices


def shared_concern_recipients(*, concern_id: int) -> list[str]:
    """E-mail addresses of the officers currently posted to the concern's school (with a login)."""
    school_id = Concern.objects.values_list("school_id", flat=True).get(pk=concern_id)
    emails = (
        Posting.objects.current()
        .filter(school_id=school_id, officer__user__is_active=True)
        .exclude(officer__status=OfficerStatus.LEFT)
        .exclude(officer__user__email="")
        .values_list("officer__user__email", flat=True)
    )
    return sorted(set(emails))


def concerns_without_recent_action(*, quiet_since: datetime.date) -> QuerySet[Concern]:
    """Open or under-review concerns logged, and last acted on, no later than ``quiet_since``
    (a coarse filter: the caller counts school days precisely). Annotated with ``last_action_on``."""
    return (
        Concern.objects.filter(status__in=ACTIVE_STATUSES, created_at__date__lte=quiet_since)
        .annotate(last_action_on=Max("actions__taken_on"))
        .filter(Q(last_action_on__isnull=True) | Q(last_action_on__lte=quiet_since))
        .order_by("pk")
    )


def suppressed_concern_row(row: dict) -> dict:
    """A ``concern_statistics`` row for readers outside the police: counts of 1 to 4 become "c",
    with the secondary suppression of ``core.suppression`` so none can be worked out."""
    categories, total = suppress_column(list(row["by_category"].values()), row["total"])
    statuses, _ = suppress_column(list(row["by_status"].values()), row["total"])
    shared = row["shared_with_police"]
    # Shared beside its total also tells how many were not shared: protect that count too.
    shown_shared = suppress_part(shared, row["total"])
    return {
        "school_id": row["school_id"],
        "urn": row["urn"],
        "name": row["name"],
        "total": total,
        "by_category": dict(zip(row["by_category"], categories, strict=True)),
        "by_status": dict(zip(row["by_status"], statuses, strict=True)),
        "shared_with_police": shown_shared,
    }


# The access log: who read or changed which concern, as a school's DSLs and the data protection
# officer see it.

RANK_ABBREVIATIONS = {
    Rank.CONSTABLE: "PC",
    Rank.SERGEANT: "PS",
    Rank.INSPECTOR: "Insp",
    Rank.CHIEF_INSPECTOR: "Ch Insp",
    Rank.SUPERINTENDENT: "Supt",
    Rank.CHIEF_SUPERINTENDENT: "Ch Supt",
}
# Police staff reading a concern in the admin are named to the school by their role only.
ADMIN_READER = "Administrator"


def reader_label(
    *,
    channel: str,
    username: str,
    first_name: str = "",
    last_name: str = "",
    officer_rank: str | None = None,
    officer_last_name: str | None = None,
) -> str:
    """Who an audit entry's user is, as the school's DSLs see them: "Administrator" for a read in
    the admin; "PC Okafor (SSO)" for a login linked to an officer; otherwise a DSL, by name
    ("Dana Lead (DSL)"). Only DSLs and officers use the portal, and a staff login is neither."""
    if channel == AuditChannel.ADMIN:
        return ADMIN_READER
    if officer_last_name:
        rank = RANK_ABBREVIATIONS.get(officer_rank, "")
        return f"{rank} {officer_last_name} (SSO)".lstrip()
    name = f"{first_name} {last_name}".strip() or username
    return f"{name} (DSL)"


def _entry_reader(entry: ConcernAuditEntry) -> str:
    user = entry.user
    officer = getattr(user, "officer", None)  # select_related: no query, None when not an officer
    return reader_label(
        channel=entry.channel,
        username=user.get_username(),
        first_name=user.first_name,
        last_name=user.last_name,
        officer_rank=officer.rank if officer else None,
        officer_last_name=officer.last_name if officer else None,
    )


def access_log(
    *,
    roles: PortalRoles,
    concern_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[ConcernAuditEntry]:
    """The audit entries of the concerns of a DSL's schools, newest first, with their user, the
    user's officer record and the school's name in the same query (never the concern's contents).

    ``date_from`` and ``date_to`` are inclusive days in Europe/London.
    """
    entries = (
        ConcernAuditEntry.objects.visible_to(roles)
        .select_related("user__officer")
        .annotate(school_name=F("concern__school__name"))
    )
    if concern_id is not None:
        entries = entries.filter(concern_id=concern_id)
    if date_from is not None:
        entries = entries.filter(at__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(at__date__lte=date_to)
    return entries


@dataclass(frozen=True)
class AccessLogRow:
    at: datetime.datetime
    who: str
    what: str
    concern_id: int
    school_name: str


def _what(event: str, fields: str) -> str:
    label = AuditEvent(event).label
    return f"{label} ({fields.replace(',', ', ')})" if fields else label


def access_log_rows(entries: Iterable[ConcernAuditEntry]) -> list[AccessLogRow]:
    """One page of ``access_log``, as the table shows it (no query)."""
    return [
        AccessLogRow(
            at=entry.at,
            who=_entry_reader(entry),
            what=_what(entry.event, entry.fields),
            concern_id=entry.concern_id,
            school_name=entry.school_name,
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class ConcernReader:
    who: str
    reads: int
    last_read_at: datetime.datetime


def concern_readers(*, roles: PortalRoles, concern_id: int) -> list[ConcernReader]:
    """Who has read a concern of the DSL's school (viewed it or downloaded an attachment), each
    with how many times and when last, most recent first; reads in the admin count as one reader,
    "Administrator". One query."""
    rows = (
        ConcernAuditEntry.objects.visible_to(roles)
        .filter(concern_id=concern_id, event__in=READ_EVENTS)
        .values(
            "channel",
            "user_id",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__officer__rank",
            "user__officer__last_name",
        )
        .annotate(reads=Count("pk"), last_read_at=Max("at"))
        .order_by()
    )
    readers: dict[object, ConcernReader] = {}
    for row in rows:
        who = reader_label(
            channel=row["channel"],
            username=row["user__username"],
            first_name=row["user__first_name"],
            last_name=row["user__last_name"],
            officer_rank=row["user__officer__rank"],
            officer_last_name=row["user__officer__last_name"],
        )
        key = ADMIN_READER if row["channel"] == AuditChannel.ADMIN else row["user_id"]
        seen = readers.get(key)
        if seen is not None:
            row["reads"] += seen.reads
            row["last_read_at"] = max(row["last_read_at"], seen.last_read_at)
        readers[key] = ConcernReader(who=who, reads=row["reads"], last_read_at=row["last_read_at"])
    return sorted(readers.values(), key=lambda reader: reader.last_read_at, reverse=True)


ACCESS_LOG_CSV_HEADER = [
    "When (Europe/London)",
    "School URN",
    "School",
    "Concern",
    "Event",
    "Where",
    "User ID",
    "Username",
    "Name",
    "Shown to the school as",
    "Fields changed",
]


def access_log_csv_rows(entries: QuerySet[ConcernAuditEntry]) -> Iterator[list]:
    """The rows of the data protection officer's export of ``entries``: who, when, what, which
    concern of which school; never the concern's contents. Read in chunks as the file is sent."""
    channels = dict(AuditChannel.choices)
    rows = entries.values_list(
        "at",
        "concern__school__urn",
        "concern__school__name",
        "concern_id",
        "event",
        "channel",
        "user_id",
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__officer__rank",
        "user__officer__last_name",
        "fields",
    )
    for (
        at,
        urn,
        school,
        concern_id,
        event,
        channel,
        user_id,
        username,
        first,
        last,
        rank,
        officer,
        fields,
    ) in rows.iterator(chunk_size=2000):
        yield [
            timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"),
            urn,
            school,
            concern_id,
            AuditEvent(event).label,
            channels[channel],
            user_id,
            username,
            f"{first} {last}".strip(),
            reader_label(
                channel=channel,
                username=username,
                first_name=first,
                last_name=last,
                officer_rank=rank,
                officer_last_name=officer,
            ),
            fields.replace(",", ", "),
        ]


# The school's safeguarding record: staff reports, pupils, tasks and body-map marks.


def my_staff_reports(*, roles: PortalRoles) -> QuerySet[StaffReport]:
    """What the user reported themselves (at schools where they are still on the staff), newest first."""
    return StaffReport.objects.visible_to(roles).filter(reported_by=roles.user).select_related("school")


def triage_list(*, roles: PortalRoles) -> QuerySet[StaffReport]:
    """Staff reports of the DSL's schools waiting for triage, oldest first (the longest wait on top)."""
    return (
        StaffReport.objects.filter(school_id__in=roles.dsl_school_ids)
        .waiting()
        .select_related("school", "reported_by")
        .order_by("reported_at", "pk")
    )


def staff_reports_waiting(*, roles: PortalRoles) -> int:
    return StaffReport.objects.filter(school_id__in=roles.dsl_school_ids).waiting().count()


def pupil_list(*, roles: PortalRoles, reference: str = "") -> QuerySet[Pupil]:
    """The pupils of the DSL's schools, by reference, with how many concerns each has (one query)."""
    pupils = Pupil.objects.visible_to(roles).select_related("school")
    if reference:
        pupils = pupils.filter(reference__icontains=reference.strip())
    return pupils.annotate(concern_count=Count("concerns", distinct=True)).order_by("reference", "school__name")


def task_assignees(*, school_id: int) -> QuerySet:
    """Who may be given a task at the school: its current staff logins and current DSLs with a login."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_active=True)
        .filter(
            Q(staff_memberships__school_id=school_id, staff_memberships__is_current=True)
            | Q(dsl_contacts__school_id=school_id, dsl_contacts__is_current=True)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def my_tasks(*, roles: PortalRoles) -> QuerySet[Task]:
    """The open tasks given to the user, soonest due first."""
    return (
        Task.objects.visible_to(roles)
        .filter(assigned_to=roles.user)
        .open()
        .select_related("school", "pupil")
        .order_by("due_on", "pk")
    )


def overdue_tasks(*, roles: PortalRoles, on: datetime.date) -> QuerySet[Task]:
    """Open tasks of the DSL's schools past their due date, the most overdue first."""
    return (
        Task.objects.filter(school_id__in=roles.dsl_school_ids)
        .overdue(on)
        .select_related("pupil", "assigned_to")
        .order_by("due_on", "pk")
    )


def tasks_overdue_on(on: datetime.date) -> QuerySet[Task]:
    """Every open task past its due date on ``on``, with its assignee's address (for the reminder)."""
    return Task.objects.overdue(on).select_related("assigned_to").order_by("pk")


def body_marks(*, roles: PortalRoles, concern: Concern) -> QuerySet[BodyMapMark]:
    """The marks on a concern's body map the user may see: all of them for its school's DSLs; for
    the member of staff who reported it, their own marks only."""
    marks = concern.body_marks.select_related("recorded_by")
    if concern.school_id in roles.dsl_school_ids:
        return marks
    return marks.filter(recorded_by=roles.user)


def staff_concern_for_marking(*, roles: PortalRoles, concern_id: int) -> Concern:
    """A concern whose body map the user may open: one of their DSL schools', or one made from (or
    added to by) a report they sent while still on that school's staff; raises Concern.DoesNotExist
    otherwise. An SSO reading a shared concern does not get its body map."""
    own_reports = StaffReport.objects.visible_to(roles).filter(reported_by=roles.user, concern__isnull=False)
    mine = Q(school_id__in=roles.dsl_school_ids) | Q(pk__in=own_reports.values("concern_id"))
    return Concern.objects.filter(mine).select_related("school").get(pk=concern_id)
