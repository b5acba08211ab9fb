"""Writes to search records. Every rule a search record must obey is checked here, and only here."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from officers.models import Rank
from schools.models import LocalAuthority

from .models import PupilPopulation, SearchRecord, StatutoryException

INSPECTOR_OR_ABOVE = Rank.at_least(Rank.INSPECTOR)


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
