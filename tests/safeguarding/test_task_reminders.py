import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.reminders import REMINDER_KINDS
from notifications.models import Delivery, DeliveryStatus
from reminders.tasks import dispatch_due_reminders
from safeguarding.reminders import task_overdue
from tests.factories.officers import UserFactory
from tests.factories.safeguarding import TaskFactory

DUE = datetime.date(2026, 11, 2)


def test_the_kind_is_registered():
    assert REMINDER_KINDS["task-overdue"] is task_overdue


@pytest.mark.django_db
def test_not_reminded_on_the_day_it_is_due():
    TaskFactory(due_on=DUE)

    assert list(task_overdue(DUE)) == []


@pytest.mark.django_db
def test_reminded_the_day_after_to_the_assignee_with_id_and_link_only():
    task = TaskFactory(due_on=DUE, assigned_to=UserFactory(email="sam@school.invalid"), description="Secret words")

    (reminder,) = task_overdue(DUE + datetime.timedelta(days=1))

    assert (reminder.object_key, reminder.due_on, reminder.recipients) == (
        f"task:{task.pk}",
        DUE + datetime.timedelta(days=1),
        ("sam@school.invalid",),
    )
    assert "Secret words" not in reminder.body and task.pupil.reference not in reminder.body


@pytest.mark.django_db
def test_a_completed_task_is_not_reminded():
    TaskFactory(due_on=DUE, completed_at=timezone.now())

    assert list(task_overdue(DUE + datetime.timedelta(days=3))) == []


@pytest.mark.django_db
def test_asked_for_one_task_the_kind_yields_only_that_one():
    wanted, _other = TaskFactory(due_on=DUE), TaskFactory(due_on=DUE)

    reminders = list(task_overdue(DUE + datetime.timedelta(days=1), object_key=f"task:{wanted.pk}"))

    assert [reminder.object_key for reminder in reminders] == [f"task:{wanted.pk}"]


@pytest.mark.django_db(transaction=True)
def test_dispatch_sends_it_once_however_often_it_runs_and_catches_up():
    TaskFactory(due_on=DUE, assigned_to=UserFactory(email="sam@school.invalid"))

    dispatch_due_reminders(on="2026-11-04")  # a day after it fell overdue: sent, dated that day
    dispatch_due_reminders(on="2026-11-05")

    sent = [message for message in mail.outbox if message.subject.startswith("Safeguarding task")]
    assert [message.to for message in sent] == [["sam@school.invalid"]]
    assert Delivery.objects.get(kind="task-overdue", status=DeliveryStatus.SENT).due_on == datetime.date(2026, 11, 3)
