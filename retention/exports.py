"""Subject access exports: one ZIP of CSV files (written by ``core.csv_export``), plus attachment
files, for a pupil of one school or for an officer. Each export is logged (``SubjectAccessExport``).

The ZIP is built in a spooled temporary file (in memory while small, on disk past that), so an
export with large attachments never sits whole in memory.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as format_date

from access.roles import PortalRoles
from casework.models import ChallengeStep, FileTransfer, PoliceAttendance, ProfessionalChallenge
from core.csv_export import write_csv
from officers.models import Officer, Posting, SuitabilityAssessment, TrainingRecord
from retention.models import ExportKind, SubjectAccessExport
from retention.roles import may_export_officer_data
from safeguarding.models import (
    AuditEvent,
    BodyMapMark,
    Concern,
    ConcernAction,
    ConcernAttachment,
    ConcernAuditEntry,
    StaffReport,
    Task,
)
from safeguarding.services import record_concern_access
from schools.models import School
from searches.models import SearchRecord
from workspace.models import Activity

logger = logging.getLogger(__name__)

# Kept in memory up to this size, then on disk.
SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024

# Another person's name in an officer's search records: the appropriate adult is left out.
SEARCH_FIELDS_LEFT_OUT = {"appropriate_adult_name"}

HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}

PUPIL_README = """Subject access export: {subject}
Exported by {user} on {when}.

Files
- concerns.csv: every concern about this pupil reference at this school
- chronology.csv: the dated actions of those concerns
- attachments.csv and attachments/: the files attached to them
- concern-versions.csv, chronology-versions.csv: every earlier version of the concerns and actions
- audit.csv: who created, read, changed, shared or downloaded each concern, and when
- staff-reports.csv: what members of staff reported about this pupil, and how the DSL triaged it
- tasks.csv: the tasks set about this pupil
- body-map.csv: the places marked on the body maps of those concerns, with their notes
- police-attendances.csv: the police's visits to school for this pupil, as the DSL recorded them
- professional-challenges.csv, professional-challenge-steps.csv: disagreements with other agencies'
  decisions about this pupil, and each dated response, escalation and resolution
- file-transfers.csv: when this pupil's file was sent to or received from another school, and by whom

Before you disclose any of it
Review every file with your data protection officer before anything is given to the pupil or their
parent or carer. Descriptions, chronology and attachments can name or identify other people, other
pupils among them: remove what is not the requester's own data, and anything an exemption
applies to. This export is not advice on what must be disclosed.
This export has been recorded: who made it, for which pupil reference, and when.
"""

OFFICER_README = """Subject access export: {subject}
Exported by {user} on {when}.

Files
- officer.csv: the officer record
- postings.csv, training-records.csv, suitability-assessments.csv
- searches.csv: the searches the officer made (without the appropriate adult's name)
- activities.csv: the work the officer logged in their workspace (visits, sessions, support)
- *-versions.csv: every earlier version of each of those records, and who made it

Before you disclose any of it
The search records describe the children searched (age, gender, ethnicity, grounds, what was
found), and the logged work names pupils by their school's reference: review every file with your
data protection officer, and remove what is not the officer's own data and anything an exemption
applies to, before anything is disclosed. This export is not advice on what must be disclosed.
This export has been recorded: who made it, for which officer, and when.
"""


def _when(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return format_date(timezone.localtime(value), "j M Y H:i")
    return format_date(value, "j M Y")


class _Cells:
    """Turns a model field's value into a readable cell: choice labels, dates like "6 Dec 2026",
    logins by username and other related rows by their name, each looked up once."""

    def __init__(self) -> None:
        self._related: dict[tuple[type, object], str] = {}

    def related(self, model: type[models.Model], pk: object) -> str:
        key = (model, pk)
        if key not in self._related:
            obj = model._default_manager.filter(pk=pk).first()
            if obj is None:
                label = f"{model._meta.verbose_name} {pk}"
            elif model is get_user_model():
                label = obj.get_username()
            else:
                label = str(obj)
            self._related[key] = label
        return self._related[key]

    def cell(self, obj: models.Model, model_field: models.Field) -> object:
        value = getattr(obj, model_field.attname)
        if value is None:
            return ""
        if model_field.choices:
            return dict(model_field.flatchoices).get(value, value)
        if isinstance(model_field, models.ForeignKey):
            return self.related(model_field.related_model, value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, datetime.datetime | datetime.date):
            return _when(value)
        return value


def _record_fields(model: type[models.Model], left_out: set[str] = frozenset()) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in left_out]


@dataclass
class _Zip:
    """A ZIP being written, with a count of the records of each kind put in it."""

    archive: zipfile.ZipFile
    cells: _Cells = field(default_factory=_Cells)
    counts: dict[str, int] = field(default_factory=dict)

    def csv(self, name: str, header: Sequence[str], rows: Iterable[Sequence[object]], counted_as: str) -> None:
        text = io.StringIO()
        self.counts[counted_as] = self.counts.get(counted_as, 0) + write_csv(text, header, rows)
        self.archive.writestr(name, text.getvalue())

    def records(self, name: str, queryset: models.QuerySet, counted_as: str, left_out: set[str] = frozenset()):
        fields = _record_fields(queryset.model, left_out)
        self.csv(
            name,
            [str(f.verbose_name) for f in fields],
            ([self.cells.cell(obj, f) for f in fields] for obj in queryset),
            counted_as,
        )

    def versions(self, name: str, history: models.QuerySet, left_out: set[str] = frozenset()) -> None:
        """Every version django-simple-history kept: when, what kind of change, by whom, then the values."""
        model = history.model.instance_type
        fields = _record_fields(model, left_out)
        header = ["version date", "change", "changed by", *[str(f.verbose_name) for f in fields]]
        rows = (
            [
                _when(version.history_date),
                HISTORY_TYPES.get(version.history_type, version.history_type),
                self.cells.related(get_user_model(), version.history_user_id) if version.history_user_id else "",
                *[self.cells.cell(version, f) for f in fields],
            ]
            for version in history.order_by("history_date", "history_id")
        )
        self.csv(name, header, rows, "history versions")


def _new_zip() -> tuple[tempfile.SpooledTemporaryFile, zipfile.ZipFile]:
    # Returned open: the download response reads it, then closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    return spool, zipfile.ZipFile(spool, mode="w", compression=zipfile.ZIP_DEFLATED)


def _safe_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .")
    return base[:100] or "file"


def _add_attachments(out: _Zip, attachments: list[ConcernAttachment]) -> None:
    rows = []
    for attachment in attachments:
        path = f"attachments/concern-{attachment.concern_id}/{attachment.pk}-{_safe_name(attachment.original_name)}"
        try:
            with attachment.file.open("rb") as source, out.archive.open(path, "w") as target:
                shutil.copyfileobj(source, target)
        except OSError:
            logger.exception("Attachment %s could not be read for a subject access export", attachment.pk)
            path = "missing: the file could not be read"
        rows.append(
            [
                attachment.concern_id,
                attachment.pk,
                attachment.original_name,
                attachment.content_type,
                attachment.size,
                out.cells.related(get_user_model(), attachment.uploaded_by_id),
                _when(attachment.uploaded_at),
                path,
            ]
        )
    header = [
        "concern",
        "attachment",
        "file name",
        "type",
        "size in bytes",
        "uploaded by",
        "uploaded at",
        "in this export",
    ]
    out.csv("attachments.csv", header, rows, "attachments")


@dataclass(frozen=True)
class Export:
    log: SubjectAccessExport
    file: tempfile.SpooledTemporaryFile

    @property
    def filename(self) -> str:
        return f"subject-access-export-{self.log.pk}.zip"


def _add_casework(out: _Zip, *, pupil_ids: set[int]) -> None:
    """The pupil's police attendances, professional challenges with their steps, and the transfers
    of their file (who sent it where and when; the copy itself holds the concerns already exported)."""
    out.records(
        "police-attendances.csv",
        PoliceAttendance.objects.filter(pupil_id__in=pupil_ids).order_by("attended_at", "pk"),
        "police attendances",
    )
    out.records(
        "professional-challenges.csv",
        ProfessionalChallenge.objects.filter(pupil_id__in=pupil_ids).order_by("opened_on", "pk"),
        "professional challenges",
    )
    out.records(
        "professional-challenge-steps.csv",
        ChallengeStep.objects.filter(challenge__pupil_id__in=pupil_ids).order_by("challenge_id", "on", "pk"),
        "professional challenge steps",
    )
    out.records(
        "file-transfers.csv",
        FileTransfer.objects.filter(Q(pupil_id__in=pupil_ids) | Q(receiving_pupil_id__in=pupil_ids)).order_by(
            "sent_at", "pk"
        ),
        "file transfers",
        left_out={"snapshot"},
    )


@transaction.atomic
def export_pupil(*, roles: PortalRoles, school: School, pupil_reference: str) -> Export:
    """Every concern with ``pupil_reference`` at ``school``, with its chronology, attachments,
    versions and audit entries, for a current DSL of that school. Recorded in the export log and,
    for each concern, in its audit trail (read, and attachments downloaded)."""
    if school.pk not in roles.dsl_school_ids:
        raise PermissionDenied("Only a current DSL of this school can export its pupils' data.")
    concerns = list(
        Concern.objects.visible_to(roles)
        .filter(school=school, pupil_reference=pupil_reference)
        .order_by("created_at", "pk")
    )
    if not concerns:
        raise Concern.DoesNotExist
    ids = [concern.pk for concern in concerns]
    user = roles.user
    now = timezone.now()
    subject = f"pupil reference {pupil_reference} at {school.name} (URN {school.urn})"
    spool, archive = _new_zip()
    with archive:
        out = _Zip(archive)
        archive.writestr("README.txt", PUPIL_README.format(subject=subject, user=user.get_username(), when=_when(now)))
        out.records("concerns.csv", Concern.objects.filter(pk__in=ids).order_by("created_at", "pk"), "concerns")
        out.records(
            "chronology.csv",
            ConcernAction.objects.filter(concern_id__in=ids).order_by("concern_id", "taken_on", "pk"),
            "chronology actions",
        )
        attachments = list(ConcernAttachment.objects.filter(concern_id__in=ids).order_by("concern_id", "pk"))
        _add_attachments(out, attachments)
        out.versions("concern-versions.csv", Concern.history.filter(id__in=ids))
        out.versions("chronology-versions.csv", ConcernAction.history.filter(concern_id__in=ids))
        out.records(
            "audit.csv",
            ConcernAuditEntry.objects.filter(concern_id__in=ids).order_by("concern_id", "at", "pk"),
            "audit entries",
        )
        pupil_id = concerns[0].pupil_id
        out.records(
            "staff-reports.csv",
            StaffReport.objects.filter(pupil_id=pupil_id).order_by("reported_at", "pk"),
            "staff reports",
        )
        out.records("tasks.csv", Task.objects.filter(pupil_id=pupil_id).order_by("created_at", "pk"), "tasks")
        out.records(
            "body-map.csv",
            BodyMapMark.objects.filter(concern_id__in=ids).order_by("concern_id", "recorded_at", "pk"),
            "body-map marks",
        )
        _add_casework(out, pupil_ids={concern.pupil_id for concern in concerns})
    log = SubjectAccessExport.objects.create(
        kind=ExportKind.PUPIL,
        school=school,
        pupil_reference=pupil_reference,
        exported_by=user,
        exported_at=now,
        contents=out.counts,
    )
    with_files = {attachment.concern_id for attachment in attachments}
    for concern in concerns:
        record_concern_access(concern=concern, user=user)
        if concern.pk in with_files:
            record_concern_access(concern=concern, user=user, event=AuditEvent.ATTACHMENT_DOWNLOADED)
    logger.info(
        "Subject access export %s: %d concern(s) of school %s by user %s", log.pk, len(ids), school.pk, user.pk
    )
    spool.seek(0)
    return Export(log=log, file=spool)


@transaction.atomic
def export_officer(*, user, officer: Officer) -> Export:
    """The officer record, postings, training records, suitability assessments and the searches
    they made, each with its versions, for a force lead or data protection officer. Logged."""
    if not may_export_officer_data(user):
        raise PermissionDenied("Only a force lead or data protection officer can export an officer's data.")
    now = timezone.now()
    subject = f"officer {officer.collar_number}"
    spool, archive = _new_zip()
    with archive:
        out = _Zip(archive)
        archive.writestr(
            "README.txt", OFFICER_README.format(subject=subject, user=user.get_username(), when=_when(now))
        )
        out.records("officer.csv", Officer.objects.filter(pk=officer.pk), "officer records")
        out.records("postings.csv", Posting.objects.filter(officer=officer).order_by("start_date", "pk"), "postings")
        out.records(
            "training-records.csv",
            TrainingRecord.objects.filter(officer=officer).order_by("completed_on", "pk"),
            "training records",
        )
        out.records(
            "suitability-assessments.csv",
            SuitabilityAssessment.objects.filter(officer=officer).order_by("assessed_on", "pk"),
            "suitability assessments",
        )
        out.records(
            "searches.csv",
            SearchRecord.objects.filter(officer=officer).order_by("searched_at", "pk"),
            "searches",
            left_out=SEARCH_FIELDS_LEFT_OUT,
        )
        out.records(
            "activities.csv",
            Activity.objects.filter(officer=officer).order_by("occurred_on", "pk"),
            "activities",
        )
        out.versions("officer-versions.csv", Officer.history.filter(id=officer.pk))
        out.versions("posting-versions.csv", Posting.history.filter(officer_id=officer.pk))
        out.versions("training-record-versions.csv", TrainingRecord.history.filter(officer_id=officer.pk))
        out.versions(
            "suitability-assessment-versions.csv", SuitabilityAssessment.history.filter(officer_id=officer.pk)
        )
        out.versions(
            "search-versions.csv", SearchRecord.history.filter(officer_id=officer.pk), left_out=SEARCH_FIELDS_LEFT_OUT
        )
        out.versions("activity-versions.csv", Activity.history.filter(officer_id=officer.pk))
    log = SubjectAccessExport.objects.create(
        kind=ExportKind.OFFICER, officer=officer, exported_by=user, exported_at=now, contents=out.counts
    )
    logger.info("Subject access export %s: officer %s by user %s", log.pk, officer.pk, user.pk)
    spool.seek(0)
    return Export(log=log, file=spool)
