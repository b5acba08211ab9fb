"""Reads for officers: training compliance, vacant schools, training evaluation figures.

Every function here runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from schools.models import School

from .models import BCU, Officer, OfficerStatus, Posting, PostingRole, TrainingCourse, TrainingRecord

EXPIRING_WITHIN_DAYS = 30
GOOD_SCORES = (4, 5)


class ComplianceStatus(StrEnum):
    CURRENT = "current"
    EXPIRING = "expiring"  # still current, but expires within EXPIRING_WITHIN_DAYS
    EXPIRED = "expired"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {
            "current": "Current",
            "expiring": f"Expiring within {EXPIRING_WITHIN_DAYS} days",
            "expired": "Expired",
            "missing": "Missing",
        }[self.value]


# Expiring soon still counts as compliant.
COMPLIANT_STATUSES = frozenset({ComplianceStatus.CURRENT, ComplianceStatus.EXPIRING})


class Completion(Protocol):
    """What decides a course's status: a training record, or a plain row of its two dates."""

    @property
    def completed_on(self) -> datetime.date: ...

    @property
    def expires_on(self) -> datetime.date | None: ...


CompletionT = TypeVar("CompletionT", bound=Completion)


def course_status(records: Iterable[CompletionT], *, on: datetime.date) -> tuple[ComplianceStatus, CompletionT | None]:
    """Status of one course on ``on`` from an officer's records of it, and the record that decides it.

    Only completions on or before ``on`` count; the one lasting longest wins (no expiry beats
    any expiry). ``expires_on`` is the first day a completion is no longer current.
    """
    completed = [record for record in records if record.completed_on <= on]
    if not completed:
        return ComplianceStatus.MISSING, None
    best = max(completed, key=lambda r: (r.expires_on is None, r.expires_on or datetime.date.min))
    if best.expires_on is None or best.expires_on > on + datetime.timedelta(days=EXPIRING_WITHIN_DAYS):
        return ComplianceStatus.CURRENT, best
    if best.expires_on > on:
        return ComplianceStatus.EXPIRING, best
    return ComplianceStatus.EXPIRED, best


@dataclass(frozen=True)
class CourseCompliance:
    course: TrainingCourse
    status: ComplianceStatus
    expires_on: datetime.date | None


@dataclass(frozen=True)
class OfficerCompliance:
    officer: Officer
    courses: list[CourseCompliance]

    @property
    def is_compliant(self) -> bool:
        """Every required course is current (expiring soon still counts) on the date asked."""
        return all(c.status in COMPLIANT_STATUSES for c in self.courses)


def required_courses() -> list[TrainingCourse]:
    return list(TrainingCourse.objects.filter(required_for_sso=True).order_by("name"))


def training_compliance(
    *, officers: QuerySet[Officer], on: datetime.date, courses: list[TrainingCourse] | None = None
) -> list[OfficerCompliance]:
    """One row per officer with the status of every required course on ``on``.

    Three queries in all (two when ``courses`` is given): required courses, officers with
    their BCU, and their records of those courses.
    """
    courses = required_courses() if courses is None else courses
    records = TrainingRecord.objects.filter(course__in=[c.pk for c in courses], completed_on__lte=on)
    rows = []
    for officer in officers.select_related("bcu").prefetch_related(
        Prefetch("training_records", queryset=records, to_attr="required_records")
    ):
        by_course: dict[int, list[TrainingRecord]] = {}
        for record in officer.required_records:
            by_course.setdefault(record.course_id, []).append(record)
        statuses = []
        for course in courses:
            status, deciding = course_status(by_course.get(course.pk, []), on=on)
            statuses.append(CourseCompliance(course, status, deciding.expires_on if deciding else None))
        rows.append(OfficerCompliance(officer=officer, courses=statuses))
    return rows


def compliance_totals(rows: list[OfficerCompliance]) -> list[dict[ComplianceStatus, int]]:
    """For each course column of ``rows``, how many officers are in each status."""
    if not rows:
        return []
    totals = [dict.fromkeys(ComplianceStatus, 0) for _ in rows[0].courses]
    for row in rows:
        for column, cell in zip(totals, row.courses, strict=True):
            column[cell.status] += 1
    return totals


def vacant_schools(*, on: datetime.date, bcu: BCU | None = None) -> QuerySet[School]:
    """Open schools (of ``bcu``, or all of them) with no current primary posting of a serving Safer Schools Officer."""
    primary_sso = Posting.objects.covering(on).filter(school=OuterRef("pk"), role=PostingRole.PRIMARY)
    schools = School.objects.open()
    if bcu is not None:
        schools = schools.filter(bcu=bcu)
    return (
        schools.filter(~Exists(primary_sso))
        .select_related("bcu", "local_authority", "ward")
        .order_by("bcu__name", "name")
    )


@dataclass(frozen=True)
class CourseEvaluation:
    course: TrainingCourse
    officers_trained: int
    completions: int
    met_expectations_responses: int
    met_expectations_good: int
    confidence_responses: int
    confidence_good: int

    @staticmethod
    def _percentage(good: int, responses: int) -> float | None:
        return round(100 * good / responses, 1) if responses else None

    @property
    def met_expectations_percentage(self) -> float | None:
        """% of participants who answered rating the course 4 or 5 for meeting expectations."""
        return self._percentage(self.met_expectations_good, self.met_expectations_responses)

    @property
    def confidence_percentage(self) -> float | None:
        """% of participants who answered rating their confidence to safeguard 4 or 5."""
        return self._percentage(self.confidence_good, self.confidence_responses)


def training_evaluation_report(
    *,
    bcu: BCU | None = None,
    completed_from: datetime.date | None = None,
    completed_to: datetime.date | None = None,
) -> list[CourseEvaluation]:
    """Per course: officers trained, completions, and the share rating 4-5 on each evaluation question.

    One query. Percentages are of those who answered the question (unanswered ones are not
    counted as either good or bad); None when nobody answered.
    """
    scope = Q()
    if bcu is not None:
        scope &= Q(records__officer__bcu=bcu)
    if completed_from is not None:
        scope &= Q(records__completed_on__gte=completed_from)
    if completed_to is not None:
        scope &= Q(records__completed_on__lte=completed_to)
    courses = TrainingCourse.objects.annotate(
        officers_trained=Count("records__officer", filter=scope, distinct=True),
        completions=Count("records", filter=scope),
        met_expectations_responses=Count("records", filter=scope & Q(records__met_expectations_score__isnull=False)),
        met_expectations_good=Count("records", filter=scope & Q(records__met_expectations_score__in=GOOD_SCORES)),
        confidence_responses=Count("records", filter=scope & Q(records__safeguarding_confidence_score__isnull=False)),
        confidence_good=Count("records", filter=scope & Q(records__safeguarding_confidence_score__in=GOOD_SCORES)),
    ).order_by("-required_for_sso", "name")
    return [
        CourseEvaluation(
            course=course,
            officers_trained=course.officers_trained,
            completions=course.completions,
            met_expectations_responses=course.met_expectations_responses,
            met_expectations_good=course.met_expectations_good,
            confidence_responses=course.confidence_responses,
            confidence_good=course.confidence_good,
        )
        for course in courses
    ]


def training_records_expiring_on(*, day: datetime.date) -> QuerySet[TrainingRecord]:
    """Records whose training stops being current on ``day`` and has not been renewed since.

    Renewed means another record of the same officer and course lasting beyond ``day``.
    Officers who have left the role are not included.
    """
    renewal = TrainingRecord.objects.filter(officer=OuterRef("officer"), course=OuterRef("course")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=day)
    )
    return (
        TrainingRecord.objects.filter(expires_on=day)
        .exclude(officer__status=OfficerStatus.LEFT)
        .filter(~Exists(renewal))
        .select_related("course", "officer__user", "officer__bcu")
        .order_by("pk")
    )


def required_training_expiring(
    *, on: datetime.date, within_days: int = EXPIRING_WITHIN_DAYS
) -> QuerySet[TrainingRecord]:
    """Records of required courses, current on ``on``, that expire within ``within_days`` days and have
    not been renewed (no other record of the officer and course lasting longer); officers who have left
    are left out."""
    renewal = TrainingRecord.objects.filter(officer=OuterRef("officer"), course=OuterRef("course")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on"))
    )
    return (
        TrainingRecord.objects.filter(
            course__required_for_sso=True,
            completed_on__lte=on,
            expires_on__gt=on,
            expires_on__lte=on + datetime.timedelta(days=within_days),
        )
        .exclude(officer__status=OfficerStatus.LEFT)
        .filter(~Exists(renewal))
    )


TERM_STARTS = ((9, 1), (1, 1), (4, 20))  # (month, day) of each term start: autumn, spring, summer


def term_start(on: datetime.date, *, term_starts=TERM_STARTS) -> datetime.date:
    """The most recent term start on or before ``on``."""
    return max(
        datetime.date(year, month, day)
        for year in (on.year - 1, on.year)
        for month, day in term_starts
        if datetime.date(year, month, day) <= on
    )


def postings_due_for_review(*, on: datetime.date) -> QuerySet[Posting]:
    """Postings in force on ``on`` that started before this term's start and have not been saved
    (reviewed) since it: the termly review a manager owes."""
    review_day = term_start(on)
    start_of_term = datetime.datetime.combine(review_day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return Posting.objects.current(on).filter(start_date__lt=review_day, updated_at__lt=start_of_term)
