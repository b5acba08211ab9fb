"""The chronology sources of safeguarding's own records, registered in ``SafeguardingConfig.ready``:
concerns, their actions, staff reports and their triage, tasks and body-map marks.

Each starts from the viewer's scoped reads, and costs one or two queries whatever the pupil's history.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from access.roles import PortalRoles
from safeguarding.bodymap import region_label
from safeguarding.chronology import ChronologyEntry, register_chronology_source, start_of_day
from safeguarding.models import (
    BodyMapMark,
    Concern,
    ConcernAction,
    Pupil,
    StaffReport,
    StaffReportEventKind,
    Task,
)


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def _pupil_concerns(pupil: Pupil, roles: PortalRoles):
    return Concern.objects.visible_to(roles).filter(pupil=pupil)


def concern_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    # Concerns the SSO passed to the DSL are in the SSO's category (registered by the workspace).
    for concern in _pupil_concerns(pupil, roles).filter(raised_by_sso=False).select_related("logged_by"):
        yield ChronologyEntry(
            occurred_at=concern.created_at,
            category="concern",
            title=f"Concern {concern.pk} logged: {concern.get_category_display()}",
            detail=f"Severity: {concern.get_severity_display()}. Now {concern.get_status_display().lower()}.",
            url=reverse("safeguarding:concern-detail", args=[concern.pk]),
            recorded_by=person(concern.logged_by),
            key=f"concern:{concern.pk}",
        )


def action_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    actions = ConcernAction.objects.filter(concern__in=_pupil_concerns(pupil, roles)).select_related("recorded_by")
    for action in actions:
        # An action dated the day it was recorded sits at the time it was recorded; an earlier date at its start.
        recorded = action.recorded_at
        occurred = recorded if timezone.localdate(recorded) == action.taken_on else start_of_day(action.taken_on)
        yield ChronologyEntry(
            occurred_at=occurred,
            category="action",
            title=f"Action on concern {action.concern_id}",
            detail=action.summary,
            url=reverse("safeguarding:concern-detail", args=[action.concern_id]) + "#chronology",
            recorded_by=person(action.recorded_by),
            key=f"action:{action.pk}",
        )


TRIAGE_TITLES = {
    StaffReportEventKind.ACCEPTED: "Staff report {report} accepted as concern {concern}",
    StaffReportEventKind.LINKED: "Staff report {report} added to concern {concern}",
    StaffReportEventKind.CLOSED: "Staff report {report} closed: no further action",
}


def staff_report_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    reports = StaffReport.objects.visible_to(roles).filter(pupil=pupil).select_related("reported_by", "triaged_by")
    for report in reports:
        url = (
            reverse("safeguarding:triage-report", args=[report.pk]) if report.school_id in roles.dsl_school_ids else ""
        )
        yield ChronologyEntry(
            occurred_at=report.reported_at,
            category="report",
            title=f"Staff report {report.pk}: seen or heard on {date_format(report.happened_on, 'j M Y')}",
            detail=f"{report.location}. {report.what_happened}",
            url=url,
            recorded_by=person(report.reported_by),
            key=f"report:{report.pk}",
        )
        if report.triaged_at is not None:
            detail = report.closed_reason if report.status == StaffReportEventKind.CLOSED else ""
            yield ChronologyEntry(
                occurred_at=report.triaged_at,
                category="report",
                title=TRIAGE_TITLES[report.status].format(report=report.pk, concern=report.concern_id),
                detail=detail,
                url=url,
                recorded_by=person(report.triaged_by),
                key=f"report:{report.pk}",
            )


def task_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    tasks = (
        Task.objects.visible_to(roles).filter(pupil=pupil).select_related("assigned_to", "created_by", "completed_by")
    )
    for task in tasks:
        about = f" (about: {task.about_title})" if task.about_title else ""
        yield ChronologyEntry(
            occurred_at=task.created_at,
            category="task",
            title=f"Task for {person(task.assigned_to)}, due {date_format(task.due_on, 'j M Y')}",
            detail=f"{task.description}{about}",
            recorded_by=person(task.created_by),
        )
        if task.completed_at is not None:
            yield ChronologyEntry(
                occurred_at=task.completed_at,
                category="task",
                title=f"Task completed: {task.description}",
                recorded_by=person(task.completed_by),
            )


def body_map_entries(pupil: Pupil, roles: PortalRoles) -> Iterator[ChronologyEntry]:
    marks = BodyMapMark.objects.filter(
        concern__in=_pupil_concerns(pupil, roles).filter(school_id__in=roles.dsl_school_ids)
    ).select_related("recorded_by")
    for mark in marks:
        where = f"{region_label(mark.view, mark.region)} ({mark.get_view_display().lower()})"
        yield ChronologyEntry(
            occurred_at=mark.recorded_at,
            category="bodymap",
            title=f"Body map, concern {mark.concern_id}: {where}",
            detail=mark.note,
            url=reverse("safeguarding:body-map", args=[mark.concern_id]),
            recorded_by=person(mark.recorded_by),
            key=f"concern:{mark.concern_id}",
        )


def register() -> None:
    register_chronology_source("concern", "Concerns", concern_entries)
    register_chronology_source("action", "Concern actions", action_entries)
    register_chronology_source("report", "Staff reports", staff_report_entries)
    register_chronology_source("task", "Tasks", task_entries)
    register_chronology_source("bodymap", "Body map", body_map_entries)
