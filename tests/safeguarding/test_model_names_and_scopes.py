"""Safeguarding records are named by number, never by pupil; and who sees none of them."""

import datetime

import pytest
from django.utils import timezone

from access.roles import PortalRoles
from safeguarding.models import (
    AccessLogExport,
    AuditEvent,
    Concern,
    ConcernAuditEntry,
    Pupil,
    StaffReportEvent,
    StaffReportEventKind,
)
from tests.factories.safeguarding import (
    BodyMapMarkFactory,
    ConcernActionFactory,
    ConcernAuditEntryFactory,
    StaffReportFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def test_an_sso_sees_no_pupil_record(sso_a, concern_a):
    assert not Pupil.objects.visible_to(PortalRoles(sso_a)).exists()


def test_a_dsl_who_is_no_officer_has_passed_on_nothing(dsl_a, concern_a):
    assert not Concern.objects.passed_on_by(PortalRoles(dsl_a)).exists()


def test_an_sso_reads_none_of_the_access_log(sso_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a)
    assert not ConcernAuditEntry.objects.visible_to(PortalRoles(sso_a)).exists()


def test_an_action_is_named_by_its_number_and_concern(concern_a):
    action = ConcernActionFactory(concern=concern_a)
    assert str(action) == f"Action {action.pk} on concern {concern_a.pk}"


def test_an_access_log_entry_names_the_event_the_concern_and_the_user(concern_a):
    entry = ConcernAuditEntryFactory(concern=concern_a, event=AuditEvent.VIEWED)
    assert str(entry) == f"{entry.get_event_display()}: concern {concern_a.pk} by user {entry.user_id}"


def test_an_access_log_export_names_who_exported_it(dsl_a):
    export = AccessLogExport.objects.create(user=dsl_a, rows=3)
    assert str(export) == f"Access log export {export.pk} by user {dsl_a.pk}"


def test_a_staff_report_is_named_by_its_number_not_the_pupil():
    report = StaffReportFactory(pupil_reference="AL-2026-042")
    assert str(report) == f"Staff report {report.pk}"


def test_a_staff_report_event_names_the_event_the_report_and_the_user(dsl_a):
    report = StaffReportFactory()
    event = StaffReportEvent.objects.create(report=report, user=dsl_a, event=StaffReportEventKind.CLOSED)
    assert str(event) == f"Closed with no further action: staff report {report.pk} by user {dsl_a.pk}"


def test_a_task_is_named_by_its_number():
    task = TaskFactory()
    assert str(task) == f"Task {task.pk}"


def test_a_task_past_its_due_date_and_not_done_is_overdue():
    assert TaskFactory(due_on=YESTERDAY).is_overdue


def test_a_done_task_past_its_due_date_is_not_overdue():
    assert not TaskFactory(due_on=YESTERDAY, completed_at=timezone.now()).is_overdue


def test_a_body_map_mark_is_named_by_its_number_and_concern(concern_a):
    mark = BodyMapMarkFactory(concern=concern_a)
    assert str(mark) == f"Body map mark {mark.pk} on concern {concern_a.pk}"
