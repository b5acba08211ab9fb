"""The start page's figures for a set of BCUs (or the whole force), each in a fixed number of
queries whatever the number of schools and officers."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.dateformat import format as format_date

from access.roles import PortalRoles
from officers.models import BCU, Officer, OfficerRole, OfficerStatus, Posting, PostingRole
from officers.selectors import (
    ComplianceStatus,
    compliance_totals,
    postings_due_for_review,
    required_courses,
    required_training_expiring,
    training_compliance,
)
from officers.services import blocking_kind_label, check_posting_eligibility_of
from priorities import selectors as priority_selectors
from priorities.models import Band, PriorityScore
from safeguarding.models import ACTIVE_STATUSES, Concern, ConcernAction
from schools.models import School
from searches.models import SearchRecord

MINE, WHOLE_FORCE = "", "all"


@dataclass(frozen=True)
class Scope:
    """The BCUs the start page is about: the manager's own (the default), one BCU, or the whole force."""

    choice: str  # MINE, WHOLE_FORCE or a BCU id, as asked
    bcus: list[BCU]  # the BCUs chosen; empty for the whole force
    all_bcus: list[BCU]  # for the switch
    label: str
    whole_force: bool = False

    @property
    def bcu_ids(self) -> list[int] | None:
        """The chosen BCUs' ids; None for the whole force."""
        return None if self.whole_force else [bcu.pk for bcu in self.bcus]


def all_bcus() -> list[BCU]:
    return list(BCU.objects.order_by("name"))


def desk_scope(*, roles: PortalRoles, choice: str) -> Scope | None:
    """The scope asked for (None when ``choice`` names no BCU). The manager's own BCUs by default;
    a manager who manages none yet sees the whole force. Two queries."""
    bcus = all_bcus()
    if choice == WHOLE_FORCE:
        return Scope(WHOLE_FORCE, [], bcus, "the whole force", whole_force=True)
    if choice == MINE:
        mine = [bcu for bcu in bcus if bcu.pk in roles.managed_bcu_ids]
        if not mine:
            return Scope(MINE, [], bcus, "the whole force (you manage no BCU yet)", whole_force=True)
        return Scope(MINE, mine, bcus, " and ".join(bcu.name for bcu in mine))
    chosen = [bcu for bcu in bcus if str(bcu.pk) == choice]
    if not chosen:
        return None
    return Scope(choice, chosen, bcus, chosen[0].name)


def _in_scope(queryset, scope: Scope, path: str):
    return queryset if scope.bcu_ids is None else queryset.filter(**{f"{path}__in": scope.bcu_ids})


@dataclass(frozen=True)
class BandRow:
    band: str
    label: str
    schools: int
    covered: int
    vacant: int


def schools_by_band(*, scope: Scope, on: datetime.date) -> list[BandRow]:
    """Per band of the latest run: schools, those a serving SSO covers (primary posting), and those
    vacant where the band or phase expects an SSO. Two queries."""
    bands, phases = priority_selectors.sso_expectation()
    covering = Posting.objects.covering(on).filter(role=PostingRole.PRIMARY, school=OuterRef("school"))
    scores = _in_scope(PriorityScore.objects.filter(run_id=priority_selectors.latest_run_id()), scope, "bcu_id")
    expected = Q(band__in=bands) | Q(school__phase__in=phases)
    counts = {
        row["band"]: row
        for row in scores.annotate(is_covered=Exists(covering))
        .values("band")
        .annotate(
            schools=Count("pk"),
            covered=Count("pk", filter=Q(is_covered=True)),
            vacant=Count("pk", filter=Q(is_covered=False) & expected),
        )
        .order_by()
    }
    return [
        BandRow(
            band,
            label,
            counts.get(band, {}).get("schools", 0),
            counts.get(band, {}).get("covered", 0),
            counts.get(band, {}).get("vacant", 0),
        )
        for band, label in Band.choices
    ]


@dataclass(frozen=True)
class EligibilityFigures:
    eligible: int
    blocked: int
    # (kind, words, officers blocked by it), most first
    by_reason: list[tuple[str, str, int]] = field(default_factory=list)


def officers_by_eligibility(*, scope: Scope, on: datetime.date) -> EligibilityFigures:
    """Officers (not left) of the scope eligible for a posting on ``on``, those blocked, and how many
    each kind of reason blocks (an officer may count under several). Four queries."""
    courses = required_courses()
    officers = _in_scope(Officer.objects.exclude(status=OfficerStatus.LEFT), scope, "bcu_id").only(
        "pk", "status", "probation_end_date", "enhanced_vetting_date"
    )
    answers = check_posting_eligibility_of(officers=officers, start_date=on, courses=courses).values()
    kinds = Counter(kind for answer in answers for kind in answer.kinds)
    names = {course.code: course.name for course in courses}
    return EligibilityFigures(
        eligible=sum(answer.is_eligible for answer in answers),
        blocked=sum(not answer.is_eligible for answer in answers),
        by_reason=[(kind, blocking_kind_label(kind, names), count) for kind, count in kinds.most_common()],
    )


@dataclass(frozen=True)
class Workload:
    training_expiring: int
    postings_due_for_review: int
    searches_awaiting_referral: int
    concerns_unanswered: int


def unanswered_shared_concerns(*, scope: Scope):
    """Open or under-review concerns shared with the police on which no officer has recorded an
    action since they were shared (counted only: managers never read concerns)."""
    answered = ConcernAction.objects.filter(
        concern=OuterRef("pk"), recorded_by__officer__isnull=False, recorded_at__gte=OuterRef("shared_at")
    )
    concerns = Concern.objects.filter(shared_with_police=True, status__in=ACTIVE_STATUSES).filter(~Exists(answered))
    return _in_scope(concerns, scope, "school__bcu_id")


def workload(*, scope: Scope, on: datetime.date) -> Workload:
    """Counts of what waits for the manager. Four queries."""
    return Workload(
        training_expiring=_in_scope(required_training_expiring(on=on), scope, "officer__bcu_id").count(),
        postings_due_for_review=_in_scope(postings_due_for_review(on=on), scope, "officer__bcu_id").count(),
        searches_awaiting_referral=_in_scope(SearchRecord.objects.referral_due(), scope, "bcu_id").count(),
        concerns_unanswered=unanswered_shared_concerns(scope=scope).count(),
    )


def vacant_high_band(*, scope: Scope, on: datetime.date) -> list[School]:
    """The scope's vacant high-band schools, by rank. Two queries."""
    vacancies = priority_selectors.ranked_vacancies(on=on, bcu_ids=scope.bcu_ids)
    return [school for school in vacancies if school.band == Band.HIGH]


def map_rows(*, scope: Scope) -> list[PriorityScore]:
    """The scope's schools in the latest run, as the map shows them (the accessible table). Two queries."""
    scores = _in_scope(priority_selectors.latest_scores(), scope, "bcu_id")
    return list(priority_selectors.priority_list(scores).order_by("bcu__name", "rank_in_bcu"))


# Charts: each a list of rows (label, figures, and the bar's segments) drawn as SVG bars beside the
# figures themselves, which are the text alternative.


@dataclass(frozen=True)
class Segment:
    css: str
    label: str
    count: int
    x: float  # 0-100, where the segment starts on the bar
    width: float  # 0-100


@dataclass(frozen=True)
class ChartRow:
    label: str
    segments: list[Segment]
    total: int

    @property
    def summary(self) -> str:
        return ", ".join(f"{segment.label} {segment.count}" for segment in self.segments)


def chart_row(label: str, parts: list[tuple[str, str, int]], *, scale: int | None = None) -> ChartRow:
    """A bar of ``parts`` (css class, words, count), to ``scale`` (their total by default)."""
    total = sum(count for _, _, count in parts)
    scale = scale or total or 1
    segments, x = [], 0.0
    for css, words, count in parts:
        width = 100 * count / scale
        segments.append(Segment(css, words, count, round(x, 2), round(width, 2)))
        x += width
    return ChartRow(label, segments, total)


def cover_per_bcu(*, scope: Scope, on: datetime.date) -> list[ChartRow]:
    """Per BCU of the scope, its schools of the latest run by band, covered or not. Two queries."""
    covering = Posting.objects.covering(on).filter(role=PostingRole.PRIMARY, school=OuterRef("school"))
    scores = _in_scope(PriorityScore.objects.filter(run_id=priority_selectors.latest_run_id()), scope, "bcu_id")
    counts: dict[str, dict[tuple[str, bool], int]] = {}
    for row in (
        scores.annotate(is_covered=Exists(covering))
        .values("bcu__name", "band", "is_covered")
        .annotate(schools=Count("pk"))
        .order_by("bcu__name")
    ):
        counts.setdefault(row["bcu__name"] or "No BCU", {})[(row["band"], row["is_covered"])] = row["schools"]
    rows = []
    for name, by_band in counts.items():
        parts = []
        for band, label in Band.choices:
            parts.append((f"bar-{band}", f"{label} covered", by_band.get((band, True), 0)))
            parts.append((f"bar-{band} bar-hollow", f"{label} not covered", by_band.get((band, False), 0)))
        rows.append(chart_row(name, parts))
    return rows


def cover_by_month(*, scope: Scope, on: datetime.date, months: int = 12) -> list[ChartRow]:
    """Open schools of the scope with a Safer Schools Officer's primary posting in force on the first
    day of each of the last ``months`` months, and today, from the postings' history (officers who
    have since left count while they were posted). Two queries."""
    first = (on.replace(day=1) - relativedelta(months=months - 1)) if months > 1 else on.replace(day=1)
    days = [first + relativedelta(months=step) for step in range(months)]
    if days[-1] != on:
        days.append(on)
    schools = _in_scope(School.objects.open(), scope, "bcu_id").count()
    postings = _in_scope(
        Posting.objects.filter(role=PostingRole.PRIMARY, officer__role=OfficerRole.SSO).overlapping(first, on),
        scope,
        "school__bcu_id",
    ).values_list("school_id", "start_date", "end_date")
    postings = list(postings)
    rows = []
    for day in days:
        covered = len({school for school, start, end in postings if start <= day and (end is None or end >= day)})
        covered = min(covered, schools)
        label = "Today" if day == on else format_date(day, "M Y")
        rows.append(
            chart_row(
                label,
                [("bar-covered", "covered", covered), ("bar-uncovered", "not covered", schools - covered)],
                scale=schools or 1,
            )
        )
    return rows


def training_by_course(*, scope: Scope, on: datetime.date) -> list[ChartRow]:
    """Per required course, the scope's officers (not left) current, expiring within 30 days,
    expired or missing on ``on``. Three queries."""
    courses = required_courses()
    officers = _in_scope(Officer.objects.exclude(status=OfficerStatus.LEFT), scope, "bcu_id")
    rows = training_compliance(officers=officers, on=on, courses=courses)
    totals = compliance_totals(rows)
    return [
        chart_row(
            course.name,
            [(f"bar-{status.value}", status.label, column[status]) for status in ComplianceStatus],
        )
        for course, column in zip(courses, totals, strict=False)
    ]
