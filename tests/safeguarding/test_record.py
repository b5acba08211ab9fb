"""The school's safeguarding record: staff reports and their triage, tasks, body-map marks, and the
pupil's chronology across them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access.roles import PortalRoles
from notifications.models import Delivery
from safeguarding import services
from safeguarding.bodymap import OUTLINE, point_in_polygon, region_at
from safeguarding.chronology import pupil_chronology
from safeguarding.models import (
    AuditEvent,
    BodyMapMark,
    Concern,
    ConcernAuditEntry,
    StaffReport,
    StaffReportEvent,
    StaffReportStatus,
    Task,
)
from tests.factories.officers import UserFactory
from tests.factories.safeguarding import ConcernFactory, TaskFactory
from tests.factories.schools import SchoolStaffFactory
from tests.factories.workspace import ActivityFactory, category
from workspace.models import ActivityDetails

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _report(staff, school, **overrides):
    fields = {
        "school": school,
        "pupil_reference": "rb-014",
        "what_happened": "Fictional: a bruise on the arm.",
        "happened_on": TODAY(),
        "location": "Classroom 4",
    }
    return services.report_to_dsl(roles=PortalRoles(staff), **fields | overrides)


# Staff reports.


def test_a_member_of_staff_reports_a_pupil_to_the_dsl(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)

    assert report.status == StaffReportStatus.NEW
    assert report.pupil.reference == "RB-014"
    assert list(report.events.values_list("event", flat=True)) == ["reported"]


def test_the_schools_dsls_are_notified_through_the_outbox(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)

    delivery = Delivery.objects.get(kind=services.STAFF_REPORT_NOTICE)
    assert delivery.recipient == "dsl-a@school.invalid"
    assert delivery.object_key == f"staff-report:{report.pk}"
    assert "RB-014" not in delivery.body and "bruise" not in delivery.body


def test_someone_not_on_the_schools_staff_cannot_report(staff_a, school_b):
    with pytest.raises(PermissionDenied):
        _report(staff_a, school_b)


def test_a_report_dated_in_the_future_is_refused_and_nothing_saved(staff_a, school_a):
    with pytest.raises(ValidationError):
        _report(staff_a, school_a, happened_on=TODAY() + datetime.timedelta(days=1))

    assert not StaffReport.objects.exists()
    assert not Delivery.objects.exists()


def test_staff_see_only_their_own_reports(staff_a, school_a):
    mine = _report(staff_a, school_a)
    colleague = UserFactory()
    SchoolStaffFactory(school=school_a, user=colleague)
    _report(colleague, school_a)

    assert list(StaffReport.objects.visible_to(PortalRoles(staff_a))) == [mine]


def test_a_dsl_sees_their_schools_reports_only(staff_a, school_a, dsl_a, dsl_b):
    report = _report(staff_a, school_a)

    assert list(StaffReport.objects.visible_to(PortalRoles(dsl_a))) == [report]
    assert not StaffReport.objects.visible_to(PortalRoles(dsl_b)).exists()


# Triage.


def test_accepting_a_report_makes_a_concern_with_the_report_in_its_chronology(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)

    concern = services.accept_staff_report(
        roles=PortalRoles(dsl_a),
        report=report,
        year_group="7",
        category="physical",
        severity="medium",
        description="Bruise reported by staff.",
    )

    report.refresh_from_db()
    assert (report.status, report.concern, report.triaged_by) == ("accepted", concern, dsl_a)
    assert concern.pupil_id == report.pupil_id
    assert "Staff report" in concern.actions.get().summary
    assert ConcernAuditEntry.objects.filter(concern=concern, event=AuditEvent.STAFF_REPORT_ADDED).exists()
    assert report.events.filter(event="accepted", user=dsl_a).exists()


def test_linking_a_report_adds_it_to_the_pupils_concern(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)
    concern = ConcernFactory(school=school_a, pupil_reference="RB-014")

    services.link_staff_report(roles=PortalRoles(dsl_a), report=report, concern=concern)

    report.refresh_from_db()
    assert (report.status, report.concern) == ("linked", concern)
    assert concern.actions.count() == 1


def test_a_report_cannot_be_linked_to_another_schools_concern(staff_a, school_a, school_b, dsl_a):
    report = _report(staff_a, school_a)

    with pytest.raises(ValidationError):
        services.link_staff_report(roles=PortalRoles(dsl_a), report=report, concern=ConcernFactory(school=school_b))

    report.refresh_from_db()
    assert report.status == "new"


def test_closing_a_report_needs_a_reason(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)

    with pytest.raises(ValidationError):
        services.close_staff_report(roles=PortalRoles(dsl_a), report=report, reason="  ")

    services.close_staff_report(roles=PortalRoles(dsl_a), report=report, reason="Explained by a sports injury.")
    report.refresh_from_db()
    assert (report.status, report.closed_reason) == ("closed", "Explained by a sports injury.")


def test_a_report_is_triaged_once(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)
    services.close_staff_report(roles=PortalRoles(dsl_a), report=report, reason="Nothing of concern.")

    with pytest.raises(ValidationError):
        services.close_staff_report(roles=PortalRoles(dsl_a), report=report, reason="Again.")
    assert report.events.filter(event="closed").count() == 1


def test_another_schools_dsl_cannot_triage(staff_a, school_a, dsl_b):
    report = _report(staff_a, school_a)

    with pytest.raises(PermissionDenied):
        services.close_staff_report(roles=PortalRoles(dsl_b), report=report, reason="Not mine.")


# Tasks.


def test_a_dsl_sets_a_task_for_a_member_of_staff(staff_a, school_a, dsl_a, concern_a):
    task = services.create_task(
        roles=PortalRoles(dsl_a),
        pupil=concern_a.pupil,
        description="Check in with the pupil at lunch.",
        assigned_to=staff_a,
        due_on=TODAY(),
        concern=concern_a,
        about=f"concern:{concern_a.pk}",
    )

    assert list(Task.objects.visible_to(PortalRoles(staff_a))) == [task]


def test_a_task_due_in_the_past_is_refused(staff_a, dsl_a, concern_a):
    with pytest.raises(ValidationError) as error:
        services.create_task(
            roles=PortalRoles(dsl_a),
            pupil=concern_a.pupil,
            description="Too late.",
            assigned_to=staff_a,
            due_on=TODAY() - datetime.timedelta(days=1),
        )

    assert "due_on" in error.value.message_dict
    assert not Task.objects.exists()


def test_a_task_for_someone_outside_the_school_is_refused(dsl_a, dsl_b, concern_a):
    with pytest.raises(ValidationError) as error:
        services.create_task(
            roles=PortalRoles(dsl_a), pupil=concern_a.pupil, description="x", assigned_to=dsl_b, due_on=TODAY()
        )

    assert "assigned_to" in error.value.message_dict


def test_the_assignee_completes_their_task(staff_a, school_a):
    task = TaskFactory(pupil=ConcernFactory(school=school_a).pupil, assigned_to=staff_a)

    services.complete_task(roles=PortalRoles(staff_a), task=task)

    task.refresh_from_db()
    assert task.completed_by == staff_a and task.completed_at is not None


def test_a_colleague_cannot_complete_someone_elses_task(staff_a, school_a):
    task = TaskFactory(pupil=ConcernFactory(school=school_a).pupil)

    with pytest.raises(PermissionDenied):
        services.complete_task(roles=PortalRoles(staff_a), task=task)


# Body map.


def test_every_regions_middle_is_inside_it_and_in_no_earlier_region():
    for view, regions in OUTLINE.items():
        for region in regions:
            assert region_at(view, *region.centre) == region, (view, region.key)


def test_a_point_beside_the_body_is_off_the_outline():
    assert region_at("front", 50, 500) is None
    assert region_at("back", 500, 700) is None  # between the legs


def test_point_in_polygon_of_a_square():
    square = ((0, 0), (10, 0), (10, 10), (0, 10))

    assert point_in_polygon(5, 5, square)
    assert not point_in_polygon(15, 5, square)


def test_on_the_front_the_pupils_right_arm_is_on_the_viewers_left():
    assert region_at("front", 335, 327).key == "right-arm"
    assert region_at("back", 335, 327).key == "left-arm"


def test_a_dsl_marks_the_body_map(dsl_a, concern_a):
    mark = services.add_body_mark(roles=PortalRoles(dsl_a), concern=concern_a, view="front", x=500, y=90, note="Graze")

    assert mark.region == "head"
    assert ConcernAuditEntry.objects.filter(concern=concern_a, event=AuditEvent.BODY_MARK_ADDED).exists()


def test_a_mark_off_the_outline_is_refused(dsl_a, concern_a):
    with pytest.raises(ValidationError):
        services.add_body_mark(roles=PortalRoles(dsl_a), concern=concern_a, view="front", x=50, y=500, note="x")

    assert not BodyMapMark.objects.exists()


def test_the_staff_member_whose_report_became_the_concern_may_mark_it(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)
    concern = services.accept_staff_report(
        roles=PortalRoles(dsl_a), report=report, year_group="7", category="physical", severity="low", description="d"
    )

    mark = services.add_body_mark(roles=PortalRoles(staff_a), concern=concern, view="back", x=500, y=260, note="Red")

    assert mark.region == "upper-back"


def test_another_member_of_staff_may_not_mark_it(staff_a, school_a, concern_a):
    with pytest.raises(PermissionDenied):
        services.add_body_mark(roles=PortalRoles(staff_a), concern=concern_a, view="front", x=500, y=90, note="x")


# The pupil's chronology.


def test_the_chronology_gathers_every_kind_of_record_newest_first(staff_a, school_a, dsl_a):
    roles = PortalRoles(dsl_a)
    report = _report(staff_a, school_a)
    concern = services.accept_staff_report(
        roles=roles, report=report, year_group="7", category="physical", severity="low", description="d"
    )
    services.add_body_mark(roles=roles, concern=concern, view="front", x=500, y=90, note="Graze")
    services.create_task(roles=roles, pupil=concern.pupil, description="Call", assigned_to=staff_a, due_on=TODAY())

    entries = pupil_chronology(concern.pupil, roles)

    assert {entry.category for entry in entries} == {"concern", "action", "report", "task", "bodymap"}
    times = [entry.occurred_at for entry in entries]
    assert times == sorted(times, reverse=True)


def test_the_chronology_filters_by_category(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)

    entries = pupil_chronology(report.pupil, PortalRoles(dsl_a), category="report")

    assert [entry.key for entry in entries] == [f"report:{report.pk}"]


def test_the_sso_workspace_adds_support_of_the_pupil_and_concerns_passed_on(school_a, dsl_a, sso_a):
    concern = ConcernFactory(school=school_a, pupil_reference="RB-014", raised_by_sso=True, logged_by=sso_a)
    ActivityFactory(
        officer=sso_a.officer,
        school=school_a,
        category=category(ActivityDetails.SUPPORT),
        support_kind="victim",
        pupil_reference="rb-014",
        notes="Marker-officer-notes",
    )

    entries = pupil_chronology(concern.pupil, PortalRoles(dsl_a), category="sso")

    assert len(entries) == 2
    assert not any("Marker-officer-notes" in entry.detail for entry in entries)


def test_another_schools_dsl_gets_nothing_from_the_sources(staff_a, school_a, dsl_b):
    report = _report(staff_a, school_a)

    assert pupil_chronology(report.pupil, PortalRoles(dsl_b)) == []


def test_the_report_event_trail_never_holds_the_reports_text(staff_a, school_a):
    _report(staff_a, school_a)

    assert [field.name for field in StaffReportEvent._meta.fields] == ["id", "report", "user", "event", "at"]


def test_a_concern_made_from_a_report_is_the_pupils_concern(staff_a, school_a, dsl_a):
    report = _report(staff_a, school_a)
    concern = services.accept_staff_report(
        roles=PortalRoles(dsl_a), report=report, year_group="7", category="physical", severity="low", description="d"
    )

    assert Concern.objects.get(pk=concern.pk).pupil == StaffReport.objects.get(pk=report.pk).pupil
