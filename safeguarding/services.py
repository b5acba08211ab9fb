"""Writes to safeguarding concerns. Each runs in one transaction, validates with full_clean()
and records an audit entry; the caller passes a concern already scoped with ``visible_to``.
"""

from __future__ import annotations

import contextlib
import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from access.roles import PortalRoles
from core.links import portal_url
from notifications.services import deliver, send_again
from safeguarding.models import (
    ATTACHMENT_FOLDER,
    READ_EVENTS,
    STATUS_TRANSITIONS,
    AccessLogExport,
    AuditChannel,
    AuditEvent,
    BodyMapMark,
    Concern,
    ConcernAction,
    ConcernAttachment,
    ConcernAuditEntry,
    ConcernStatus,
    Pupil,
    StaffReport,
    StaffReportEvent,
    StaffReportEventKind,
    StaffReportStatus,
    Task,
)
from safeguarding.permissions import (
    can_add_action,
    can_complete_task,
    can_log_concern_for,
    can_manage_concern,
    can_mark_body_map,
    can_pass_concern_to_dsl,
    can_report_to_dsl,
    can_triage,
)
from safeguarding.selectors import SHARED_CONCERN_NOTICE, concern_key, shared_concern_recipients, task_assignees
from safeguarding.validators import validate_attachment
from schools.models import DSLContact, School

logger = logging.getLogger(__name__)


def _audit(
    *, concern: Concern, user, event: str, fields: tuple[str, ...] = (), channel: str = AuditChannel.PORTAL
) -> ConcernAuditEntry:
    return ConcernAuditEntry.objects.create(
        concern=concern, user=user, event=event, channel=channel, fields=",".join(fields)
    )


@transaction.atomic
def create_concern(
    *,
    roles: PortalRoles,
    school: School,
    pupil_reference: str,
    year_group: str,
    category: str,
    severity: str,
    description: str,
    share_with_police: bool = False,
    attachment: UploadedFile | None = None,
) -> Concern:
    """Log a new concern for one of the user's schools; optionally attach a file and share it with police."""
    if not can_log_concern_for(roles, school):
        raise PermissionDenied("Only a current DSL of this school can log a concern for it.")
    user = roles.user
    concern = Concern(
        school=school,
        logged_by=user,
        pupil_reference=pupil_reference.strip().upper(),
        year_group=year_group,
        category=category,
        severity=severity,
        description=description.strip(),
    )
    concern.full_clean()
    concern.save()
    _audit(concern=concern, user=user, event=AuditEvent.CREATED)
    if attachment is not None:
        add_concern_attachment(concern=concern, roles=roles, upload=attachment)
    if share_with_police:
        concern = share_concern_with_police(concern=concern, roles=roles)
    logger.info("Concern %s logged for school %s by user %s", concern.pk, school.pk, user.pk)
    return concern


@transaction.atomic
def pass_concern_to_dsl(
    *,
    roles: PortalRoles,
    school: School,
    pupil_reference: str,
    year_group: str,
    category: str,
    severity: str,
    description: str,
) -> Concern:
    """An SSO passes information or a concern about a pupil to the school's DSLs: it arrives in their
    list as a new open concern marked "from the SSO", unshared. The SSO sees what they sent
    (``Concern.objects.passed_on_by``), and the rest only if a DSL shares the concern back."""
    if not can_pass_concern_to_dsl(roles, school):
        raise PermissionDenied("Only a Safer Schools Officer posted to this school can pass a concern to its DSLs.")
    user = roles.user
    concern = Concern(
        school=school,
        logged_by=user,
        raised_by_sso=True,
        pupil_reference=pupil_reference.strip().upper(),
        year_group=year_group,
        category=category,
        severity=severity,
        description=description.strip(),
    )
    concern.full_clean()
    concern.save()
    _audit(concern=concern, user=user, event=AuditEvent.CREATED)
    logger.info("Concern %s passed to the DSLs of school %s by officer user %s", concern.pk, school.pk, user.pk)
    return concern


@transaction.atomic
def add_concern_action(
    *, concern: Concern, roles: PortalRoles, taken_on: datetime.date, summary: str
) -> ConcernAction:
    """Add one dated entry to a concern's chronology."""
    if not can_add_action(roles, concern):
        raise PermissionDenied("You cannot add to this concern's chronology.")
    user = roles.user
    action = ConcernAction(concern=concern, taken_on=taken_on, summary=summary.strip(), recorded_by=user)
    action.full_clean()
    action.save()
    _audit(concern=concern, user=user, event=AuditEvent.ACTION_ADDED)
    return action


@transaction.atomic
def change_concern_status(*, concern: Concern, roles: PortalRoles, status: str, outcome: str = "") -> Concern:
    """Move a concern along its workflow; closing needs an outcome. The change is added to the chronology."""
    if not can_manage_concern(roles, concern):
        raise PermissionDenied("Only a DSL of this school can change the concern's status.")
    user = roles.user
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if status not in STATUS_TRANSITIONS.get(concern.status, ()):
        raise ValidationError(
            {
                "status": f"A concern that is {concern.get_status_display().lower()} cannot move to "
                f"{ConcernStatus(status).label.lower() if status in ConcernStatus.values else status!r}."
            }
        )
    previous = concern.get_status_display()
    concern.status = status
    concern.outcome = outcome if status == ConcernStatus.CLOSED else ""
    concern.full_clean()
    concern.save(update_fields=["status", "outcome", "updated_at"])
    summary = f"Status changed from {previous} to {concern.get_status_display()}"
    if concern.outcome:
        summary += f" (outcome: {concern.get_outcome_display()})"
    ConcernAction.objects.create(concern=concern, taken_on=timezone.localdate(), summary=summary, recorded_by=user)
    _audit(concern=concern, user=user, event=AuditEvent.CHANGED, fields=("status", "outcome"))
    return concern


@transaction.atomic
def share_concern_with_police(*, concern: Concern, roles: PortalRoles) -> Concern:
    """Share a concern with the school's posted SSOs and notify them: the e-mails are recorded with
    the share and sent once the transaction commits.

    Sharing cannot be undone: the officers have been told. Sharing twice changes nothing.
    """
    if not can_manage_concern(roles, concern):
        raise PermissionDenied("Only a DSL of this school can share the concern.")
    user = roles.user
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.shared_with_police:
        return concern
    concern.shared_with_police = True
    concern.shared_at = timezone.now()
    concern.shared_by = user
    concern.full_clean()
    concern.save(update_fields=["shared_with_police", "shared_at", "shared_by", "updated_at"])
    ConcernAction.objects.create(
        concern=concern,
        taken_on=timezone.localdate(),
        summary="Shared with the school's Safer Schools Officer",
        recorded_by=user,
    )
    _audit(concern=concern, user=user, event=AuditEvent.SHARED, fields=("shared_with_police",))
    send_shared_concern_notification(concern=concern)
    return concern


@transaction.atomic
def send_shared_concern_notices_again(*, concern: Concern, roles: PortalRoles) -> int:
    """Send again the notices of a shared concern whose last attempt failed (the DSL's "send
    again", once the cause is fixed); returns how many. Sent and waiting ones are left alone."""
    if not can_manage_concern(roles, concern):
        raise PermissionDenied("Only a DSL of this school can send the notices again.")
    if not concern.shared_with_police:
        raise ValidationError("This concern has not been shared, so no e-mail was sent about it.")
    retried = send_again(kind=SHARED_CONCERN_NOTICE, object_key=concern_key(concern.pk))
    logger.info("Concern %s: %d failed notice(s) sent again by user %s", concern.pk, len(retried), roles.user.pk)
    return len(retried)


@transaction.atomic
def add_concern_attachment(*, concern: Concern, roles: PortalRoles, upload: UploadedFile) -> ConcernAttachment:
    """Attach a checked file (PDF, PNG, JPEG or DOCX up to 5 MB) to a concern."""
    if not can_manage_concern(roles, concern):
        raise PermissionDenied("Only a DSL of this school can attach files.")
    user = roles.user
    content_type = validate_attachment(upload)
    attachment = ConcernAttachment(
        concern=concern,
        file=upload,
        original_name=(upload.name or "attachment")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    attachment.full_clean()
    attachment.file.name = _store_attachment_file(attachment, upload)
    attachment.file._committed = True  # stored above: saving the row must not store it again
    attachment.save()
    _audit(concern=concern, user=user, event=AuditEvent.ATTACHMENT_ADDED)
    return attachment


ATTACHMENT_STORAGE_ERROR = (
    "The file could not be saved because the portal's file storage is not working. Nothing has been saved. "
    "Try again later, or save without the file and attach it later."
)


def _store_attachment_file(attachment: ConcernAttachment, upload: UploadedFile) -> str:
    """Write the upload to the attachments' storage under a new random name, and return the name.

    A storage that is full, read-only or gone (any ``OSError``) leaves no part of the file behind
    and becomes a ``ValidationError`` on the attachment field: the caller's transaction is rolled
    back and the form is shown again with what was typed. Logged once, with the error's type.
    """
    field = ConcernAttachment._meta.get_field("file")
    storage = field.storage
    name = storage.get_available_name(field.generate_filename(attachment, upload.name or "attachment"))
    try:
        return storage.save(name, upload)
    except OSError as error:
        with contextlib.suppress(OSError):
            if storage.exists(name):
                storage.delete(name)  # the truncated or empty file the failed write left
        logger.error(
            "Attachment of concern %s could not be stored (%s: %s); nothing was saved",
            attachment.concern_id,
            type(error).__name__,
            error.strerror or error,
        )
        raise ValidationError({"attachment": ATTACHMENT_STORAGE_ERROR}) from error


# Older than any upload's transaction can be: a younger file may belong to one still open.
ORPHANED_ATTACHMENT_GRACE = datetime.timedelta(hours=1)


def purge_orphaned_attachment_files(*, older_than: datetime.timedelta = ORPHANED_ATTACHMENT_GRACE) -> list[str]:
    """Delete stored attachment files that no attachment row points to; return their names.

    The file is written before its row is committed, so a rolled-back upload (a failed save,
    an error later in the same request) leaves the file behind, as does an attachment row
    deleted outside the portal (by a retention job or in the database: Django never deletes
    files with rows). Such a file is a child's data that no record, retention rule or
    subject-access search would find. Files younger than ``older_than`` are kept.
    """
    storage = ConcernAttachment._meta.get_field("file").storage
    if not storage.exists(ATTACHMENT_FOLDER):
        return []
    cutoff = timezone.now() - older_than
    candidates = [f"{ATTACHMENT_FOLDER}/{name}" for name in storage.listdir(ATTACHMENT_FOLDER)[1]]
    referenced: set[str] = set()
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        referenced.update(ConcernAttachment.objects.filter(file__in=batch).values_list("file", flat=True))
    purged = []
    for name in candidates:
        if name not in referenced and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            purged.append(name)
    if purged:
        logger.warning("Deleted %d attachment file(s) that no attachment row pointed to", len(purged))
    return purged


@transaction.atomic
def record_concern_access(
    *, concern: Concern, user, event: str = AuditEvent.VIEWED, channel: str = AuditChannel.PORTAL
) -> ConcernAuditEntry:
    """Record that ``user`` read a concern: a view of its page (in the portal; in the admin, its
    page, its history or one of its versions) or a download of an attachment.

    Called before the contents are sent, by every page that shows them; ``channel`` says where.
    """
    if event not in READ_EVENTS:
        raise ValueError(f"{event!r} is not a read; changes are recorded by the service making them.")
    return _audit(concern=concern, user=user, event=event, channel=channel)


@transaction.atomic
def record_access_log_export(*, user, filters: str, rows: int) -> AccessLogExport:
    """Record that ``user`` exported ``rows`` entries of the concern access log, filtered by
    ``filters`` (a query string; blank for all). Recorded before the file is sent."""
    export = AccessLogExport(user=user, filters=filters, rows=rows)
    export.full_clean()
    export.save()
    logger.info("Access log export %s of %d entries by user %s", export.pk, rows, user.pk)
    return export


@transaction.atomic
def confirm_dsl_contacts(*, user, name: str, email: str, phone: str) -> list[DSLContact]:
    """The DSL confirms (and may correct) their details on every school they are a current contact for;
    today becomes each record's ``last_confirmed_on``."""
    contacts = list(DSLContact.objects.select_for_update().filter(user=user, is_current=True))
    if not contacts:
        raise PermissionDenied("You are not a current DSL contact of any school.")
    today = timezone.localdate()
    for contact in contacts:
        contact.name, contact.email, contact.phone = name.strip(), email.strip(), phone.strip()
        contact.last_confirmed_on = today
        contact.full_clean()
        contact.save()
    return contacts


def concern_url(concern_id: int) -> str:
    """Absolute link to a concern's page, for e-mails (which carry ids and links only)."""
    return portal_url("safeguarding:concern-detail", concern_id)


def send_shared_concern_notification(*, concern: Concern) -> int:
    """E-mail the officers posted to the concern's school a link to it; returns how many are told.

    One delivery per officer (``notifications.services.deliver``), recorded in the caller's
    transaction and sent once it commits; only the delivery's id crosses to Celery. One notice per
    officer and shared concern: recording it again never sends one already sent. The message
    holds the concern's id and link only, never the pupil reference or description.
    """
    recipients = shared_concern_recipients(concern_id=concern.pk)
    if not recipients:
        logger.warning("Concern %s was shared but no officer with a login is posted to its school", concern.pk)
        return 0
    deliver(
        kind=SHARED_CONCERN_NOTICE,
        object_key=concern_key(concern.pk),
        due_on=timezone.localdate(concern.shared_at),
        recipients=recipients,
        subject=f"Safeguarding concern {concern.pk} has been shared with you",
        body="A school's designated safeguarding lead has shared safeguarding concern "
        f"{concern.pk} with you.\n\nSign in to read it: {concern_url(concern.pk)}\n",
    )
    return len(recipients)


# The school's safeguarding record: staff reports and their triage, tasks, body-map marks.

STAFF_REPORT_NOTICE = "staff-report"


def task_url() -> str:
    return portal_url("safeguarding:my-tasks")


def staff_report_url(report_id: int) -> str:
    return portal_url("safeguarding:triage-report", report_id)


@transaction.atomic
def report_to_dsl(
    *,
    roles: PortalRoles,
    school: School,
    pupil_reference: str,
    what_happened: str,
    happened_on: datetime.date,
    location: str,
) -> StaffReport:
    """A member of staff reports what they saw or heard about a pupil; the school's DSLs are e-mailed
    a link (ids and a link only) through the outbox, once the report is committed."""
    if not can_report_to_dsl(roles, school):
        raise PermissionDenied("Only a current member of this school's staff can report to its DSL.")
    report = StaffReport(
        school=school,
        pupil_reference=pupil_reference.strip().upper(),
        what_happened=what_happened.strip(),
        happened_on=happened_on,
        location=location.strip(),
        reported_by=roles.user,
    )
    report.full_clean()
    report.save()
    StaffReportEvent.objects.create(report=report, user=roles.user, event=StaffReportEventKind.REPORTED)
    recipients = staff_report_recipients(school_id=school.pk)
    if recipients:
        deliver(
            kind=STAFF_REPORT_NOTICE,
            object_key=f"staff-report:{report.pk}",
            recipients=recipients,
            subject=f"New staff report {report.pk} to triage",
            body="A member of your school's staff has reported a safeguarding concern to you "
            f"(staff report {report.pk}).\n\nSign in to triage it: {staff_report_url(report.pk)}\n",
        )
    else:
        logger.warning("Staff report %s: school %s has no current DSL with an e-mail address", report.pk, school.pk)
    logger.info("Staff report %s made for school %s by user %s", report.pk, school.pk, roles.user.pk)
    return report


def _report_for_triage(*, roles: PortalRoles, report: StaffReport) -> StaffReport:
    if not can_triage(roles, report):
        raise PermissionDenied("Only a DSL of this school can triage its staff reports.")
    report = StaffReport.objects.select_for_update().get(pk=report.pk)
    if report.status != StaffReportStatus.NEW:
        raise ValidationError(f"This report has already been triaged ({report.get_status_display().lower()}).")
    return report


def _report_summary(report: StaffReport) -> str:
    who = report.reported_by.get_full_name() or report.reported_by.get_username()
    return (
        f"Staff report {report.pk} from {who}: seen or heard on {date_format(report.happened_on, 'j M Y')} "
        f"({report.location}). {report.what_happened}"
    )


def _triaged(*, report: StaffReport, roles: PortalRoles, status: str, concern: Concern | None, reason: str = ""):
    report.status = status
    report.concern = concern
    report.closed_reason = reason
    report.triaged_by = roles.user
    report.triaged_at = timezone.now()
    report.full_clean()
    report.save(update_fields=["status", "concern", "closed_reason", "triaged_by", "triaged_at"])
    StaffReportEvent.objects.create(report=report, user=roles.user, event=status)
    if concern is not None:
        ConcernAction.objects.create(
            concern=concern,
            taken_on=timezone.localdate(),
            summary=_report_summary(report)[:5000],
            recorded_by=roles.user,
        )
        _audit(concern=concern, user=roles.user, event=AuditEvent.STAFF_REPORT_ADDED)


@transaction.atomic
def accept_staff_report(
    *,
    roles: PortalRoles,
    report: StaffReport,
    year_group: str,
    category: str,
    severity: str,
    description: str,
) -> Concern:
    """The DSL accepts a staff report as a new concern about its pupil; the report is in the
    concern's chronology."""
    report = _report_for_triage(roles=roles, report=report)
    concern = create_concern(
        roles=roles,
        school=report.school,
        pupil_reference=report.pupil_reference,
        year_group=year_group,
        category=category,
        severity=severity,
        description=description,
    )
    _triaged(report=report, roles=roles, status=StaffReportStatus.ACCEPTED, concern=concern)
    return concern


@transaction.atomic
def link_staff_report(*, roles: PortalRoles, report: StaffReport, concern: Concern) -> Concern:
    """The DSL adds a staff report to an existing concern of the same school."""
    report = _report_for_triage(roles=roles, report=report)
    if concern.school_id != report.school_id or not can_add_action(roles, concern):
        raise ValidationError({"concern": "Choose a concern of the same school."})
    _triaged(report=report, roles=roles, status=StaffReportStatus.LINKED, concern=concern)
    return concern


@transaction.atomic
def close_staff_report(*, roles: PortalRoles, report: StaffReport, reason: str) -> StaffReport:
    """The DSL closes a staff report with no further action, saying why."""
    report = _report_for_triage(roles=roles, report=report)
    if not reason.strip():
        raise ValidationError({"closed_reason": "Give the reason for no further action."})
    _triaged(report=report, roles=roles, status=StaffReportStatus.CLOSED, concern=None, reason=reason.strip())
    return report


@transaction.atomic
def record_staff_report_view(*, report: StaffReport, user) -> StaffReportEvent:
    """A DSL opened the report: recorded before its text is shown."""
    return StaffReportEvent.objects.create(report=report, user=user, event=StaffReportEventKind.VIEWED)


def staff_report_recipients(*, school_id: int) -> list[str]:
    """The e-mail addresses of the school's current DSLs."""
    emails = DSLContact.objects.filter(school_id=school_id, is_current=True).exclude(email="")
    return sorted(set(emails.values_list("email", flat=True)))


@transaction.atomic
def create_task(
    *,
    roles: PortalRoles,
    pupil: Pupil,
    description: str,
    assigned_to,
    due_on: datetime.date,
    about: str = "",
    about_title: str = "",
    concern: Concern | None = None,
    staff_report: StaffReport | None = None,
) -> Task:
    """The DSL gives a named member of staff (or a DSL) of the pupil's school something to do by a date."""
    if pupil.school_id not in roles.dsl_school_ids:
        raise PermissionDenied("Only a DSL of the pupil's school can create a task.")
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date must be today or in the future."})
    if not task_assignees(school_id=pupil.school_id).filter(pk=assigned_to.pk).exists():
        raise ValidationError({"assigned_to": "Choose a member of this school's staff or one of its DSLs."})
    task = Task(
        school_id=pupil.school_id,
        pupil=pupil,
        concern=concern,
        staff_report=staff_report,
        about=about,
        about_title=about_title[:200],
        description=description.strip(),
        assigned_to=assigned_to,
        due_on=due_on,
        created_by=roles.user,
    )
    task.full_clean()
    task.save()
    logger.info("Task %s created for pupil %s by user %s", task.pk, pupil.pk, roles.user.pk)
    return task


@transaction.atomic
def complete_task(*, roles: PortalRoles, task: Task) -> Task:
    """The assignee (or a DSL of the school) marks a task done; completing twice changes nothing."""
    if not can_complete_task(roles, task):
        raise PermissionDenied("Only the person the task is for, or a DSL of its school, can complete it.")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.completed_at is None:
        task.completed_at = timezone.now()
        task.completed_by = roles.user
        task.save(update_fields=["completed_at", "completed_by"])
    return task


@transaction.atomic
def add_body_mark(*, roles: PortalRoles, concern: Concern, view: str, x: int, y: int, note: str) -> BodyMapMark:
    """Mark a place on the concern's body outline with a note; a point off the outline is refused."""
    if not can_mark_body_map(roles, concern):
        raise PermissionDenied("Only the school's DSLs or the member of staff who reported it can mark the body map.")
    mark = BodyMapMark(concern=concern, view=view, x=x, y=y, note=note.strip(), recorded_by=roles.user)
    mark.full_clean()
    mark.save()
    _audit(concern=concern, user=roles.user, event=AuditEvent.BODY_MARK_ADDED)
    return mark
