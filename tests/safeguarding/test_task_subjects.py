"""A task made from an entry of the pupil's chronology is linked to the record that entry shows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.models import StaffReportEventKind, Task
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory, StaffReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsl_client(client, dsl_a):
    client.force_login(dsl_a)
    return client


def _create_task(dsl_client, pupil, about: str, assignee) -> Task:
    url = reverse("safeguarding:task-create", args=[pupil.pk]) + f"?about={about}"
    due_on = timezone.localdate().strftime("%d %m %Y")
    response = dsl_client.post(url, {"description": "Call home", "assigned_to": assignee.pk, "due_on": due_on})
    assert response.status_code == 302
    return Task.objects.get()


def test_a_task_about_an_action_is_linked_to_the_actions_concern(dsl_client, school_a, staff_a):
    concern = ConcernFactory(school=school_a)
    action = ConcernActionFactory(concern=concern)

    task = _create_task(dsl_client, concern.pupil, f"action:{action.pk}", staff_a)

    assert (task.concern, task.staff_report, task.about) == (concern, None, f"action:{action.pk}")


def test_a_task_about_a_staff_report_is_linked_to_the_report(dsl_client, school_a, staff_a):
    concern = ConcernFactory(school=school_a)
    report = StaffReportFactory(school=school_a, pupil_reference=concern.pupil_reference)

    task = _create_task(dsl_client, concern.pupil, f"report:{report.pk}", staff_a)

    assert (task.staff_report, task.concern) == (report, None)


def test_a_task_about_a_staff_report_is_linked_to_the_concern_it_became(dsl_client, dsl_a, school_a, staff_a):
    concern = ConcernFactory(school=school_a)
    report = StaffReportFactory(
        school=school_a,
        pupil_reference=concern.pupil_reference,
        concern=concern,
        status=StaffReportEventKind.LINKED,
        triaged_by=dsl_a,
        triaged_at=timezone.now(),
    )

    task = _create_task(dsl_client, concern.pupil, f"report:{report.pk}", staff_a)

    assert (task.staff_report, task.concern) == (report, concern)
