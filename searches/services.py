"""Writes to search records. Every rule a search record must obey is checked here, and only here."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from officers.models import Rank
from schools.models import LocalAuthority

from .models import (
    BodyWornVideo,
    LegalPower,
    PupilPopulation,
    SearchRecord,
    SearchStatus,
    Section60Authorisation,
    StatutoryException,
)

INSPECTOR_OR_ABOVE = Rank.at_least(Rank.INSPECTOR)
SUPERINTENDENT_OR_ABOVE = Rank.at_least(Rank.SUPERINTENDENT)
# A section 60 authorisation by an Inspector lasts up to 24 hours; a Superintendent may extend it
# to 48 hours in all.
SECTION_60_HOURS = 24
SECTION_60_EXTENDED_HOURS = 48


def search_rule_errors(record: SearchRecord) -> dict[str, list[str]]:
    """Every rule the record breaks, as {field name: [messages]} (empty when it may be saved).

    A search exposing a child's intimate parts (or a strip search in custody) needs an
    Inspector-or-above authorisation, and an appropriate adult present unless a statutory
    exception is recorded with its reason (PACE Code C Annex A para 11(c)).
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    adult_must_be_named = record.appropriate_adult_present or (
        record.statutory_exception == StatutoryException.CHILD_CHOSE_ABSENCE_WITH_AGREEMENT
    )
    if adult_must_be_named:
        if not record.appropriate_adult_name.strip():
            add("appropriate_adult_name", "Give the name of the appropriate adult.")
        if not record.appropriate_adult_role:
            add("appropriate_adult_role", "Give the role of the appropriate adult.")
    if record.statutory_exception and not record.statutory_exception_reason.strip():
        add("statutory_exception_reason", "Explain why the statutory exception applied.")
    if record.statutory_exception_reason.strip() and not record.statutory_exception:
        add("statutory_exception", "Choose the statutory exception the reason refers to.")

    if record.searched_at and record.searched_at > timezone.now():
        add("searched_at", "The search cannot be in the future.")
    _body_worn_video_errors(record, add)
    _follow_up_and_review_errors(record, add)
    _section_60_errors(record, add)
    if record.status == SearchStatus.CLOSED and record.is_referral_due:
        add(
            "referral_reference",
            "A search exposing a child's intimate parts cannot be closed without the safeguarding referral "
            "reference: give it, or leave the search open.",
        )

    if record.is_of_a_child and record.is_intimate:
        if not record.authorising_officer_name.strip():
            add(
                "authorising_officer_name",
                "A search exposing a child's intimate parts must be authorised: give the authorising officer.",
            )
        if record.authorising_officer_rank not in INSPECTOR_OR_ABOVE:
            add(
                "authorising_officer_rank",
                "A search exposing a child's intimate parts must be authorised by an Inspector or above.",
            )
        if not record.appropriate_adult_present and not record.statutory_exception:
            add(
                "appropriate_adult_present",
                "A search exposing a child's intimate parts needs an appropriate adult present, "
                "or a statutory exception recorded with its reason.",
            )
    return errors


def _body_worn_video_errors(record: SearchRecord, add) -> None:
    if not record.body_worn_video:
        add("body_worn_video", "Say whether the search was recorded on body-worn video.")
    elif record.body_worn_video == BodyWornVideo.NOT_RECORDED and not record.body_worn_video_reason.strip():
        add("body_worn_video_reason", "Give the reason the search was not recorded on body-worn video.")
    elif record.body_worn_video == BodyWornVideo.RECORDED and record.body_worn_video_reason.strip():
        add("body_worn_video_reason", "Give a reason only when the search was not recorded.")


def _follow_up_and_review_errors(record: SearchRecord, add) -> None:
    today = timezone.localdate()
    searched_on = timezone.localdate(record.searched_at) if record.searched_at else None
    if record.needs_follow_up_and_review:
        if not record.follow_up_by.strip():
            add(
                "follow_up_by",
                "A child searched beyond outer clothing is offered a trauma-informed follow-up: say who offers it.",
            )
        if record.follow_up_due_on is None:
            add("follow_up_due_on", "Give the date the trauma-informed follow-up is due by.")
    if record.follow_up_due_on and searched_on and record.follow_up_due_on < searched_on:
        add("follow_up_due_on", "The follow-up cannot be due before the search.")
    if record.follow_up_completed_on is not None:
        if record.follow_up_completed_on > today:
            add("follow_up_completed_on", "The follow-up cannot be done in the future.")
        elif searched_on and record.follow_up_completed_on < searched_on:
            add("follow_up_completed_on", "The follow-up cannot be done before the search.")
        if not record.follow_up_offered.strip():
            add("follow_up_offered", "Say what was offered.")
        if not record.follow_up_outcome.strip():
            add("follow_up_outcome", "Give the outcome of the follow-up.")

    reviewed = [record.reviewed_by_name.strip(), record.reviewed_by_rank, record.reviewed_on, record.review_notes]
    if any(reviewed):
        if not record.reviewed_by_name.strip():
            add("reviewed_by_name", "Give the reviewing officer's name.")
        if record.reviewed_by_rank not in INSPECTOR_OR_ABOVE:
            add("reviewed_by_rank", "The search must be reviewed by an Inspector or above.")
        if record.reviewed_on is None:
            add("reviewed_on", "Give the date of the review.")
        elif record.reviewed_on > today:
            add("reviewed_on", "The review cannot be in the future.")
        elif searched_on and record.reviewed_on < searched_on:
            add("reviewed_on", "The review cannot be before the search.")


def _section_60_errors(record: SearchRecord, add) -> None:
    under_section_60 = record.legal_power == LegalPower.CJPOA_S60
    if under_section_60 and record.section_60_id is None:
        add("section_60", "A search under section 60 is linked to the authorisation it was made in.")
    elif record.section_60_id is not None:
        if not under_section_60:
            add("section_60", "Only a search under section 60 is linked to a section 60 authorisation.")
        elif record.searched_at and not record.section_60.covers(record.searched_at):
            add("section_60", "The search was not made while this authorisation was in force.")


def section_60_rule_errors(authorisation: Section60Authorisation) -> dict[str, list[str]]:
    """Every rule a section 60 authorisation breaks: an Inspector or above for up to 24 hours (a
    Superintendent or above up to 48), and the community told beforehand (when, to whom) or the
    reason it was not practicable."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if authorisation.authorising_officer_rank not in INSPECTOR_OR_ABOVE:
        add("authorising_officer_rank", "A section 60 authorisation is given by an Inspector or above.")
    starts, ends = authorisation.starts_at, authorisation.ends_at
    if starts and ends:
        hours = (ends - starts).total_seconds() / 3600
        if hours <= 0:
            add("ends_at", "The authorisation must end after it starts.")
        elif hours > SECTION_60_EXTENDED_HOURS:
            add("ends_at", f"An authorisation lasts at most {SECTION_60_EXTENDED_HOURS} hours.")
        elif hours > SECTION_60_HOURS and authorisation.authorising_officer_rank not in SUPERINTENDENT_OR_ABOVE:
            add(
                "ends_at",
                f"Beyond {SECTION_60_HOURS} hours an authorisation is extended by a Superintendent or above.",
            )
    notified = authorisation.community_notified_at or authorisation.community_notified_to.strip()
    not_practicable = authorisation.notification_not_practicable_reason.strip()
    if notified and not_practicable:
        add(
            "notification_not_practicable_reason",
            "Give either the notification or why it was not practicable, not both.",
        )
    elif not notified and not not_practicable:
        add(
            "community_notified_at",
            "Record when the community was notified and to whom, or why it was not practicable.",
        )
    elif notified:
        if authorisation.community_notified_at is None:
            add("community_notified_at", "Give when the community was notified.")
        if not authorisation.community_notified_to.strip():
            add("community_notified_to", "Say who was notified.")
    return errors


@transaction.atomic
def record_section_60(*, recorded_by, authorisation: Section60Authorisation | None = None, **fields: Any):
    """Create (or, given ``authorisation``, change) a section 60 authorisation under its rules."""
    authorisation = authorisation or Section60Authorisation(recorded_by=recorded_by)
    for name, value in fields.items():
        setattr(authorisation, name, value)
    authorisation._history_user = recorded_by
    authorisation.full_clean()
    errors = section_60_rule_errors(authorisation)
    if errors:
        raise ValidationError(errors)
    authorisation.save()
    return authorisation


def check_search_rules(record: SearchRecord) -> None:
    """Raise ``ValidationError`` (keyed by field) if the record breaks any rule."""
    errors = search_rule_errors(record)
    if errors:
        raise ValidationError(errors)


def _validate_and_save(record: SearchRecord) -> SearchRecord:
    if record.bcu_id is None and record.officer_id is not None:
        record.bcu_id = record.officer.bcu_id
    record.full_clean()
    check_search_rules(record)
    record.save()
    return record


@transaction.atomic
def record_search(*, recorded_by, **fields: Any) -> SearchRecord:
    """Create a search record after checking every rule; nothing is written if one fails.

    ``fields`` are ``SearchRecord`` field names. ``bcu`` defaults to the officer's BCU.
    """
    record = SearchRecord(recorded_by=recorded_by, **fields)
    record._history_user = recorded_by
    return _validate_and_save(record)


@transaction.atomic
def update_search(*, search: SearchRecord, updated_by, **fields: Any) -> SearchRecord:
    """Change a search record under the same rules; the change is kept in its history.

    A new officer brings their BCU with them unless ``bcu`` is given too.
    """
    for name, value in fields.items():
        setattr(search, name, value)
    if "officer" in fields and "bcu" not in fields:
        search.bcu_id = search.officer.bcu_id
    search._history_user = updated_by
    return _validate_and_save(search)


@transaction.atomic
def record_follow_up(*, search: SearchRecord, offered: str, outcome: str, completed_on, recorded_by) -> SearchRecord:
    """Mark a search's trauma-informed follow-up done: what was offered, the outcome, when."""
    return update_search(
        search=search,
        updated_by=recorded_by,
        follow_up_offered=offered.strip(),
        follow_up_outcome=outcome.strip(),
        follow_up_completed_on=completed_on,
    )


@transaction.atomic
def close_search(*, search: SearchRecord, closed_by) -> SearchRecord:
    """Close a search record; a child's intimate search stays open until its referral is recorded."""
    return update_search(search=search, updated_by=closed_by, status=SearchStatus.CLOSED)


@transaction.atomic
def record_referral(*, search: SearchRecord, referral_reference: str, recorded_by) -> SearchRecord:
    """Record the safeguarding referral made after a search, ending its "referral due" state."""
    if not referral_reference.strip():
        raise ValidationError({"referral_reference": "Give the safeguarding referral reference."})
    return update_search(search=search, updated_by=recorded_by, referral_reference=referral_reference.strip())


POPULATION_COLUMNS = ("la_gss_code", "year", "ethnicity", "pupil_count")


class PopulationImportError(Exception):
    """A pupil population file that cannot be loaded; the message names the file and line."""


@transaction.atomic
def import_pupil_population(*, lines: Iterable[str], source_name: str) -> dict[str, int]:
    """Load pupil census counts from CSV text (columns by header name: ``POPULATION_COLUMNS``).

    Each row sets the count for one local authority (GSS code), census year and 18+1
    ethnicity code, creating or replacing it. The whole file is loaded or nothing is.
    """
    reader = csv.DictReader(lines)
    missing = [column for column in POPULATION_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise PopulationImportError(f"{source_name}, line 1: missing column(s) {', '.join(missing)}")
    authorities = {la.gss_code: la for la in LocalAuthority.objects.all()}
    seen: set[tuple[str, str, str]] = set()
    counts = {"created": 0, "updated": 0}
    for row in reader:
        where = f"{source_name}, line {reader.line_num}"
        code, year, ethnicity = (row["la_gss_code"] or "").strip(), (row["year"] or "").strip(), row["ethnicity"]
        ethnicity = (ethnicity or "").strip().upper()
        if code not in authorities:
            raise PopulationImportError(f"{where}: unknown local authority GSS code {code!r}")
        if (code, year, ethnicity) in seen:
            raise PopulationImportError(f"{where}: {code} {year} {ethnicity} appears twice in the file")
        seen.add((code, year, ethnicity))
        try:
            _, created = _set_pupil_population(
                local_authority=authorities[code], year=year, ethnicity=ethnicity, pupil_count=row["pupil_count"]
            )
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise PopulationImportError(f"{where}: {problems}") from error
        counts["created" if created else "updated"] += 1
    return counts


def _set_pupil_population(*, local_authority, year, ethnicity, pupil_count) -> tuple[PupilPopulation, bool]:
    record = PupilPopulation(local_authority=local_authority, year=year, ethnicity=ethnicity, pupil_count=pupil_count)
    record.full_clean(validate_unique=False, validate_constraints=False)
    return PupilPopulation.objects.update_or_create(
        local_authority=local_authority,
        year=record.year,
        ethnicity=record.ethnicity,
        defaults={"pupil_count": record.pupil_count},
    )
