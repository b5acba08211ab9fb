"""The record's pages: staff reports, triage, pupils, tasks and body maps, as each role uses them;
bad input on every form, and query counts that do not grow with the lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from safeguarding import services
from safeguarding.chronology import chronology_categories
from safeguarding.models import BodyMapMark, Concern, StaffReport, Task
from tests.factories.safeguarding import (
    BodyMapMarkFactory,
    ConcernActionFactory,
    ConcernFactory,
    StaffReportFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def dsl_client(client, dsl_a):
    client.force_login(dsl_a)
    return client


# A page's fixed cost: the request's savepoint and release, session, user, the MFA device, the
# user's roles (DSL contacts, staff memberships), then the session save with its savepoint and
# release; the rest is the page's own, and the same however long its list.
LIST_PAGE_QUERIES = 15


def _queries(client, url: str) -> int:
    client.get(url)  # the first request fills caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Staff.


def test_a_member_of_staff_is_sent_from_the_dashboard_to_their_reports(staff_client):
    response = staff_client.get(reverse("safeguarding:dashboard"))

    assert response.url == reverse("safeguarding:staff-reports")


def test_a_member_of_staff_reports_from_the_short_form(staff_client, staff_a, school_a):
    response = staff_client.post(
        reverse("safeguarding:staff-report-create"),
        {
            "school": school_a.pk,
            "pupil_reference": "RB-2026-014",
            "what_happened": "Fictional",
            "happened_on": TODAY().strftime("%d %m %Y"),
            "location": "Hall",
        },
    )

    assert response.url == reverse("safeguarding:staff-reports")
    assert StaffReport.objects.get().reported_by == staff_a


def test_an_empty_report_shows_a_message_for_each_field_and_saves_nothing(staff_client):
    response = staff_client.post(reverse("safeguarding:staff-report-create"), {})

    page = response.content.decode()
    for message in ["Enter the pupil reference", "Describe what you saw or heard", "Enter the date it happened"]:
        assert message in page
    assert "Enter where it happened" in page
    assert not StaffReport.objects.exists()


def test_a_report_too_long_gets_plain_words(staff_client, school_a):
    response = staff_client.post(
        reverse("safeguarding:staff-report-create"),
        {"school": school_a.pk, "pupil_reference": "A1", "what_happened": "x" * 5001, "happened_on": "1 9 2026"},
    )

    assert "What you saw or heard must be 5,000 characters or fewer" in response.content.decode()


def test_the_form_warns_against_names(staff_client):
    assert (
        "Do not write anyone&#x27;s name"
        in staff_client.get(reverse("safeguarding:staff-report-create")).content.decode()
    )


def test_staff_see_only_their_own_reports_and_their_status(staff_client, staff_a, school_a):
    StaffReportFactory(school=school_a, reported_by=staff_a, pupil_reference="MINE-1")
    StaffReportFactory(school=school_a, pupil_reference="THEIRS-1")

    page = staff_client.get(reverse("safeguarding:staff-reports")).content.decode()

    assert "MINE-1" in page and "Waiting for the DSL" in page
    assert "THEIRS-1" not in page


def test_the_staff_report_list_is_query_bounded(staff_client, staff_a, school_a):
    StaffReportFactory(school=school_a, reported_by=staff_a)
    before = _queries(staff_client, reverse("safeguarding:staff-reports"))
    StaffReportFactory.create_batch(5, school=school_a, reported_by=staff_a)

    assert _queries(staff_client, reverse("safeguarding:staff-reports")) == before <= LIST_PAGE_QUERIES


def test_staff_cannot_open_the_triage_list_nor_pupils(staff_client):
    assert staff_client.get(reverse("safeguarding:triage")).status_code == 403
    assert staff_client.get(reverse("safeguarding:pupil-list")).status_code == 403


# Triage.


def test_the_dashboard_counts_reports_waiting(dsl_client, school_a):
    StaffReportFactory.create_batch(2, school=school_a)

    response = dsl_client.get(reverse("safeguarding:dashboard"))

    assert response.context["reports_waiting"] == 2


def test_the_triage_list_is_query_bounded(dsl_client, school_a):
    StaffReportFactory(school=school_a)
    before = _queries(dsl_client, reverse("safeguarding:triage"))
    StaffReportFactory.create_batch(5, school=school_a)

    assert _queries(dsl_client, reverse("safeguarding:triage")) == before <= LIST_PAGE_QUERIES


def test_the_triage_page_prefills_the_concern_from_the_report(dsl_client, school_a):
    report = StaffReportFactory(school=school_a, what_happened="Fictional words of the pupil")

    response = dsl_client.get(reverse("safeguarding:triage-report", args=[report.pk]))

    assert response.context["accept_form"].initial["description"] == "Fictional words of the pupil"
    assert report.events.filter(event="viewed").exists()


def test_accepting_from_the_page_opens_the_new_concern(dsl_client, school_a):
    report = StaffReportFactory(school=school_a)
    data = {
        "accept-year_group": "7",
        "accept-category": "physical",
        "accept-severity": "low",
        "accept-description": "d",
    }

    response = dsl_client.post(reverse("safeguarding:triage-accept", args=[report.pk]), data)

    concern = Concern.objects.get()
    assert response.url == reverse("safeguarding:concern-detail", args=[concern.pk])


def test_accepting_with_nothing_chosen_shows_field_messages_and_saves_nothing(dsl_client, school_a):
    report = StaffReportFactory(school=school_a)

    response = dsl_client.post(reverse("safeguarding:triage-accept", args=[report.pk]), {})

    assert set(response.context["accept_form"].errors) == {"year_group", "category", "severity", "description"}
    assert not Concern.objects.exists()


def test_linking_to_a_concern_of_another_pupil_is_refused(dsl_client, school_a):
    report = StaffReportFactory(school=school_a, pupil_reference="P-1")
    other = ConcernFactory(school=school_a, pupil_reference="P-2")

    response = dsl_client.post(reverse("safeguarding:triage-link", args=[report.pk]), {"link-concern": other.pk})

    assert "concern" in response.context["link_form"].errors
    report.refresh_from_db()
    assert report.status == "new"


def test_closing_without_a_reason_shows_a_field_message(dsl_client, school_a):
    report = StaffReportFactory(school=school_a)

    response = dsl_client.post(reverse("safeguarding:triage-close", args=[report.pk]), {"close-reason": ""})

    assert response.context["close_form"].errors["reason"] == ["Give the reason for no further action"]


def test_a_second_triage_shows_a_message_not_an_error(dsl_client, dsl_a, school_a):
    report = StaffReportFactory(school=school_a)
    services.close_staff_report(roles=PortalRoles(dsl_a), report=report, reason="Fine")

    response = dsl_client.post(reverse("safeguarding:triage-close", args=[report.pk]), {"close-reason": "Again"})

    assert "already been triaged" in response.content.decode()


def test_another_schools_report_does_not_exist_for_a_dsl(dsl_client, school_b):
    report = StaffReportFactory(school=school_b)

    assert dsl_client.get(reverse("safeguarding:triage-report", args=[report.pk])).status_code == 404


# Pupils.


def test_the_pupil_list_searches_by_reference(dsl_client, school_a, school_b):
    ConcernFactory(school=school_a, pupil_reference="RB-014")
    ConcernFactory(school=school_a, pupil_reference="RB-200")
    ConcernFactory(school=school_b, pupil_reference="RB-014X")

    response = dsl_client.get(reverse("safeguarding:pupil-list"), {"reference": "014"})

    assert [pupil.reference for pupil in response.context["page"].object_list] == ["RB-014"]


def test_the_pupil_list_is_query_bounded(dsl_client, school_a):
    ConcernFactory(school=school_a)
    before = _queries(dsl_client, reverse("safeguarding:pupil-list"))
    ConcernFactory.create_batch(5, school=school_a)

    assert _queries(dsl_client, reverse("safeguarding:pupil-list")) == before <= LIST_PAGE_QUERIES


def test_a_search_too_long_shows_a_field_message(dsl_client):
    response = dsl_client.get(reverse("safeguarding:pupil-list"), {"reference": "x" * 31})

    assert response.context["form"].errors["reference"] == ["Pupil reference must be 30 characters or fewer"]


def test_the_pupil_page_is_query_bounded(dsl_client, dsl_a, school_a, staff_a):
    concern = ConcernFactory(school=school_a, logged_by=dsl_a)
    url = reverse("safeguarding:pupil-detail", args=[concern.pupil_id])
    before = _queries(dsl_client, url)
    for _ in range(4):
        ConcernActionFactory(concern=ConcernFactory(school=school_a, pupil_reference=concern.pupil_reference))
        StaffReportFactory(school=school_a, pupil_reference=concern.pupil_reference)
        TaskFactory(pupil=concern.pupil, assigned_to=staff_a)
        BodyMapMarkFactory(concern=concern)

    # About one query per registered chronology source, whatever the number of entries.
    assert _queries(dsl_client, url) == before <= LIST_PAGE_QUERIES + len(chronology_categories())


def test_the_pupil_page_filters_by_category(dsl_client, school_a):
    concern = ConcernFactory(school=school_a)
    ConcernActionFactory(concern=concern)

    response = dsl_client.get(reverse("safeguarding:pupil-detail", args=[concern.pupil_id]), {"category": "action"})

    assert {entry.category for entry in response.context["entries"]} == {"action"}


def test_an_unknown_category_shows_everything(dsl_client, school_a):
    concern = ConcernFactory(school=school_a)
    ConcernActionFactory(concern=concern)

    response = dsl_client.get(reverse("safeguarding:pupil-detail", args=[concern.pupil_id]), {"category": "nope"})

    assert {entry.category for entry in response.context["entries"]} == {"concern", "action"}


def test_another_schools_pupil_does_not_exist_for_a_dsl(dsl_client, school_b):
    pupil = ConcernFactory(school=school_b).pupil

    assert dsl_client.get(reverse("safeguarding:pupil-detail", args=[pupil.pk])).status_code == 404


# Tasks.


def test_a_task_made_from_a_chronology_entry_keeps_what_it_is_about(dsl_client, school_a, staff_a):
    concern = ConcernFactory(school=school_a)
    url = reverse("safeguarding:task-create", args=[concern.pupil_id]) + f"?about=concern:{concern.pk}"

    dsl_client.post(
        url, {"description": "Call home", "assigned_to": staff_a.pk, "due_on": TODAY().strftime("%d %m %Y")}
    )

    task = Task.objects.get()
    assert (task.concern, task.about) == (concern, f"concern:{concern.pk}")
    assert task.about_title.startswith(f"Concern {concern.pk}")


def test_a_task_about_an_entry_the_dsl_cannot_see_is_a_404(dsl_client, school_a, school_b):
    pupil = ConcernFactory(school=school_a).pupil
    other = ConcernFactory(school=school_b)

    url = reverse("safeguarding:task-create", args=[pupil.pk]) + f"?about=concern:{other.pk}"

    assert dsl_client.get(url).status_code == 404


def test_a_task_due_in_the_past_gets_a_field_message_and_is_not_saved(dsl_client, school_a, staff_a):
    pupil = ConcernFactory(school=school_a).pupil
    yesterday = TODAY() - datetime.timedelta(days=1)

    response = dsl_client.post(
        reverse("safeguarding:task-create", args=[pupil.pk]),
        {"description": "Late", "assigned_to": staff_a.pk, "due_on": yesterday.strftime("%d %m %Y")},
    )

    assert response.context["form"].errors["due_on"] == ["The due date must be today or in the future"]
    assert not Task.objects.exists()


def test_an_empty_task_form_shows_every_message(dsl_client, school_a):
    pupil = ConcernFactory(school=school_a).pupil

    response = dsl_client.post(reverse("safeguarding:task-create", args=[pupil.pk]), {})

    assert set(response.context["form"].errors) == {"description", "assigned_to", "due_on"}


def test_my_tasks_lists_the_assignees_open_tasks_and_is_query_bounded(staff_client, staff_a, school_a):
    TaskFactory(pupil=ConcernFactory(school=school_a).pupil, assigned_to=staff_a)
    before = _queries(staff_client, reverse("safeguarding:my-tasks"))
    for _ in range(4):
        TaskFactory(pupil=ConcernFactory(school=school_a).pupil, assigned_to=staff_a)

    assert _queries(staff_client, reverse("safeguarding:my-tasks")) == before <= LIST_PAGE_QUERIES


def test_the_assignee_marks_a_task_done(staff_client, staff_a, school_a):
    task = TaskFactory(pupil=ConcernFactory(school=school_a).pupil, assigned_to=staff_a)

    staff_client.post(reverse("safeguarding:task-complete", args=[task.pk]))

    task.refresh_from_db()
    assert task.completed_by == staff_a


def test_overdue_tasks_are_on_the_dsl_dashboard(dsl_client, school_a, staff_a):
    TaskFactory(
        pupil=ConcernFactory(school=school_a).pupil, assigned_to=staff_a, due_on=TODAY() - datetime.timedelta(2)
    )

    response = dsl_client.get(reverse("safeguarding:dashboard"))

    assert len(response.context["overdue_tasks"]) == 1
    assert "Overdue tasks" in response.content.decode()


# Body map.


def test_a_place_chosen_from_the_list_is_marked_at_its_middle(dsl_client, school_a):
    concern = ConcernFactory(school=school_a)

    dsl_client.post(
        reverse("safeguarding:body-map", args=[concern.pk]), {"mark-place": "back:left-arm", "mark-note": "Bruise"}
    )

    mark = BodyMapMark.objects.get()
    assert (mark.view, mark.region) == ("back", "left-arm")


def test_a_clicked_point_is_stored_as_its_coordinates(dsl_client, school_a):
    concern = ConcernFactory(school=school_a)

    dsl_client.post(
        reverse("safeguarding:body-map", args=[concern.pk]),
        {"mark-view": "front", "mark-x": "500", "mark-y": "100", "mark-note": "Graze"},
    )

    assert BodyMapMark.objects.values_list("x", "y", "region").get() == (500, 100, "head")


def test_a_click_off_the_outline_is_refused_with_a_field_message(dsl_client, school_a):
    concern = ConcernFactory(school=school_a)

    response = dsl_client.post(
        reverse("safeguarding:body-map", args=[concern.pk]),
        {"mark-view": "front", "mark-x": "40", "mark-y": "500", "mark-note": "x"},
    )

    assert response.context["form"].errors["place"] == ["Mark a place on the body outline, not beside it"]
    assert not BodyMapMark.objects.exists()


def test_an_empty_mark_shows_field_messages(dsl_client, school_a):
    concern = ConcernFactory(school=school_a)

    response = dsl_client.post(reverse("safeguarding:body-map", args=[concern.pk]), {})

    assert set(response.context["form"].errors) == {"place", "note"}


def test_the_marks_are_listed_as_text_beside_the_picture(dsl_client, school_a):
    concern = ConcernFactory(school=school_a)
    BodyMapMarkFactory(concern=concern, note="Fictional bruise")

    page = dsl_client.get(reverse("safeguarding:body-map", args=[concern.pk])).content.decode()

    assert "Right arm (front)" in page and "Fictional bruise" in page
    assert page.count("<polygon") == 26  # 13 parts of the body, front and back, each focusable
    assert page.count('tabindex="0"') >= 26


def test_the_reporting_staff_member_opens_the_body_map_of_their_reports_concern(staff_client, staff_a, school_a):
    concern = ConcernFactory(school=school_a)
    StaffReportFactory(school=school_a, reported_by=staff_a, status="linked", concern=concern)
    BodyMapMarkFactory(concern=concern, note="Someone else's mark")

    response = staff_client.get(reverse("safeguarding:body-map", args=[concern.pk]))

    assert response.status_code == 200
    assert "Someone else&#x27;s mark" not in response.content.decode()


def test_another_member_of_staff_does_not_get_the_body_map(staff_client, school_a):
    concern = ConcernFactory(school=school_a)

    assert staff_client.get(reverse("safeguarding:body-map", args=[concern.pk])).status_code == 404


def test_the_schools_sso_does_not_get_the_body_map(client, sso_a, shared_concern_a):
    client.force_login(sso_a)

    assert client.get(reverse("safeguarding:body-map", args=[shared_concern_a.pk])).status_code == 403


def test_a_member_of_staffs_menu_leads_to_their_reports_and_tasks_not_concerns(staff_client):
    page = staff_client.get(reverse("safeguarding:staff-reports")).content.decode()

    assert reverse("safeguarding:my-tasks") in page
    assert reverse("safeguarding:concern-list") not in page
