"""Writes of the retention process: the nightly listing of records due for erasure, and the data
protection officer's decisions on them (confirm, hold, release a hold).

Listing deletes nothing. Confirming erases one record per transaction: the record, what belongs to
it and every version django-simple-history kept, leaving a tombstone; stored files are deleted
once that transaction has committed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from retention.models import CandidateStatus, ErasureCandidate, ErasureTombstone, RetentionRule
from retention.record_types import RECORD_KINDS, RecordKind
from retention.roles import may_review_erasures
from safeguarding.models import ConcernAttachment

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000


@dataclass
class Listing:
    """What one run of the listing did, per record type."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)


def _delete_candidates(candidates) -> int:
    ids = list(candidates.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        ErasureCandidate.objects.filter(pk__in=batch).delete()
        ErasureCandidate.history.filter(id__in=batch).delete()
    return len(ids)


@transaction.atomic
def _list_one_type(rule: RetentionRule, kind: RecordKind, on: datetime.date, listing: Listing) -> None:
    due = kind.due(rule.counts_from, rule.cutoff(on))
    record_type = rule.record_type
    existing = {
        candidate.object_id: candidate
        for candidate in ErasureCandidate.objects.filter(record_type=record_type).only(
            "pk", "object_id", "status", "rule_id", "counts_from", "anchor_date", "due_on"
        )
    }
    new, changed = [], []
    for record in due.iterator(chunk_size=BATCH_SIZE):
        anchor = kind.anchor(record, rule.counts_from)
        due_on = anchor + rule.period
        candidate = existing.get(record.pk)
        if candidate is None:
            new.append(
                ErasureCandidate(
                    record_type=record_type,
                    object_id=record.pk,
                    rule=rule,
                    counts_from=rule.counts_from,
                    anchor_date=anchor,
                    due_on=due_on,
                    listed_on=on,
                )
            )
        elif candidate.status == CandidateStatus.PENDING and (
            candidate.counts_from,
            candidate.anchor_date,
            candidate.due_on,
        ) != (rule.counts_from, anchor, due_on):
            # The rule was changed since the record was listed.
            candidate.counts_from, candidate.anchor_date, candidate.due_on = rule.counts_from, anchor, due_on
            changed.append(candidate)
    # Another run at the same time may have listed some already: the unique constraint keeps one.
    ErasureCandidate.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    ErasureCandidate.objects.bulk_update(changed, ["counts_from", "anchor_date", "due_on"], batch_size=BATCH_SIZE)
    of_type = ErasureCandidate.objects.filter(record_type=record_type)
    # Awaiting review but no longer due (a concern reopened, a rule lengthened), or whose record
    # has gone some other way: off the list. A held record stays held while it exists.
    removed = _delete_candidates(
        of_type.filter(status=CandidateStatus.PENDING).exclude(object_id__in=due.values("pk"))
    )
    removed += _delete_candidates(of_type.exclude(object_id__in=kind.model.objects.values("pk")))
    listing.added[record_type], listing.updated[record_type], listing.removed[record_type] = (
        len(new),
        len(changed),
        removed,
    )


def list_due_erasures(*, on: datetime.date | None = None) -> Listing:
    """List every record whose retention period has passed on ``on`` (today in London) as an
    erasure candidate, once; deletes nothing. Each record type is listed in its own transaction."""
    on = on or timezone.localdate()
    listing = Listing()
    for rule in RetentionRule.objects.order_by("record_type"):
        _list_one_type(rule, RECORD_KINDS[rule.record_type], on, listing)
    logger.info(
        "Erasure candidates on %s: added %s, updated %s, removed %s",
        on,
        sum(listing.added.values()),
        sum(listing.updated.values()),
        sum(listing.removed.values()),
    )
    return listing


@dataclass
class Confirmation:
    """The outcome of confirming erasures: tombstones made, and candidates skipped with the reason."""

    erased: list[ErasureTombstone] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


class ErasureRefused(Exception):
    pass


def delete_stored_files(names: Iterable[str]) -> None:
    """Delete attachment files; a file that cannot be deleted is logged and left to the nightly
    orphan purge, which deletes any file no attachment row points to."""
    storage = ConcernAttachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete the erased attachment file %s; the orphan purge will retry", name)


def _erase_candidate(candidate_id: int, *, by, on: datetime.date) -> ErasureTombstone:
    candidate = ErasureCandidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise ErasureRefused("no longer listed")
    if candidate.status != CandidateStatus.PENDING:
        raise ErasureRefused("held")
    kind = RECORD_KINDS[candidate.record_type]
    rule = RetentionRule.objects.get(record_type=candidate.record_type)
    record = kind.model.objects.select_for_update().filter(pk=candidate.object_id).first()
    # The rule as it stands now: a record that stopped being due is never erased.
    if record is None or not kind.due(rule.counts_from, rule.cutoff(on)).filter(pk=record.pk).exists():
        raise ErasureRefused("no longer due")
    anchor = kind.anchor(record, rule.counts_from)
    key_dates = kind.key_dates(record)
    erasure = kind.erase(record)
    tombstone = ErasureTombstone.objects.create(
        record_type=candidate.record_type,
        original_id=candidate.object_id,
        rule_applied=rule.describe()[:200],
        anchor_date=anchor,
        due_on=anchor + rule.period,
        key_dates=key_dates,
        erased_rows=erasure.rows,
        confirmed_by=by,
    )
    _delete_candidates(ErasureCandidate.objects.filter(pk=candidate.pk))
    if erasure.files:
        files = list(erasure.files)
        transaction.on_commit(lambda: delete_stored_files(files))
    logger.info(
        "Erased %s %s (tombstone %s) confirmed by user %s",
        candidate.record_type,
        candidate.object_id,
        tombstone.pk,
        by.pk,
    )
    return tombstone


def confirm_erasures(*, candidate_ids: Iterable[int], by, on: datetime.date | None = None) -> Confirmation:
    """Erase each listed record, each in its own transaction, leaving a tombstone.

    A candidate that is held, no longer listed or no longer due is skipped with the reason; one
    record's failure does not stop the others. Only a data protection officer may confirm.
    """
    if not may_review_erasures(by):
        raise PermissionDenied("Only a data protection officer can confirm erasures.")
    on = on or timezone.localdate()
    confirmation = Confirmation()
    for candidate_id in sorted(set(candidate_ids)):
        try:
            with transaction.atomic():
                confirmation.erased.append(_erase_candidate(candidate_id, by=by, on=on))
        except ErasureRefused as refusal:
            confirmation.skipped[candidate_id] = str(refusal)
        except Exception:
            logger.exception("Erasure of candidate %s failed; nothing of it was erased", candidate_id)
            confirmation.skipped[candidate_id] = "failed"
    return confirmation


@transaction.atomic
def hold_candidates(*, candidate_ids: Iterable[int], by, reason: str) -> int:
    """Keep the records past their period, with the reason (for example a legal hold or an ongoing
    case); returns how many were held. Held records are not erased until the hold is released."""
    if not may_review_erasures(by):
        raise PermissionDenied("Only a data protection officer can hold records.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for holding the records."})
    held = 0
    for candidate in ErasureCandidate.objects.select_for_update().filter(pk__in=list(candidate_ids)):
        candidate.status = CandidateStatus.HELD
        candidate.hold_reason = reason
        candidate.decided_by = by
        candidate.decided_at = timezone.now()
        candidate.full_clean()
        candidate.save()
        held += 1
    return held


@transaction.atomic
def release_holds(*, candidate_ids: Iterable[int], by) -> int:
    """Put held records back for review (the hold stays in the candidate's history); returns how many."""
    if not may_review_erasures(by):
        raise PermissionDenied("Only a data protection officer can release a hold.")
    released = 0
    for candidate in ErasureCandidate.objects.select_for_update().filter(
        pk__in=list(candidate_ids), status=CandidateStatus.HELD
    ):
        candidate.status = CandidateStatus.PENDING
        candidate.hold_reason = ""
        candidate.decided_by = by
        candidate.decided_at = timezone.now()
        candidate.save()
        released += 1
    return released
