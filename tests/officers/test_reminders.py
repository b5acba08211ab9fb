import datetime

import pytest
from django.core import mail

from core.reminders import REMINDER_KINDS
from notifications.models import Delivery, DeliveryStatus
from officers.models import OfficerStatus
from reminders.tasks import dispatch_due_reminders
from tests.factories.officers import (
    BCUManagerFactory,
    OfficerFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A 12-month course completed on 1 Oct 2025 expires on 1 Oct 2026.
COMPLETED = datetime.date(2025, 10, 1)
EXPIRES = datetime.date(2026, 10, 1)


@pytest.fixture
def record():
    officer = OfficerFactory(user=UserFactory(email="pc.officer@police.invalid"))
    return TrainingRecordFactory(
        officer=officer, course=TrainingCourseFactory(validity_months=12), completed_on=COMPLETED
    )


def _due(kind: str, on: datetime.date):
    return list(REMINDER_KINDS[kind](on))


@pytest.mark.parametrize(
    ("kind", "days_before"), [("training-expiring-30", 30), ("training-expiring-7", 7), ("training-expired", 0)]
)
def test_each_kind_is_due_exactly_on_its_day(record, kind, days_before):
    due_day = EXPIRES - datetime.timedelta(days=days_before)
    assert [r.object_key for r in _due(kind, due_day)] == [f"training:{record.pk}"]
    assert _due(kind, due_day - datetime.timedelta(days=1)) == []
    assert _due(kind, due_day + datetime.timedelta(days=1)) == []


def test_reminder_goes_to_the_officer_and_every_bcu_manager(record):
    BCUManagerFactory(email="manager.one@police.invalid")
    BCUManagerFactory(email="manager.two@police.invalid")
    UserFactory(is_staff=True, email="not.a.manager@police.invalid")
    (reminder,) = _due("training-expiring-30", EXPIRES - datetime.timedelta(days=30))
    assert set(reminder.recipients) == {
        "pc.officer@police.invalid",
        "manager.one@police.invalid",
        "manager.two@police.invalid",
    }


def test_officer_without_a_login_leaves_only_the_managers(record):
    record.officer.user = None
    record.officer.save()
    BCUManagerFactory(email="manager.one@police.invalid")
    (reminder,) = _due("training-expired", EXPIRES)
    assert reminder.recipients == ("manager.one@police.invalid",)


def test_renewed_training_is_not_reminded(record):
    TrainingRecordFactory(officer=record.officer, course=record.course, completed_on=datetime.date(2026, 9, 15))
    assert _due("training-expiring-7", EXPIRES - datetime.timedelta(days=7)) == []


def test_officer_who_has_left_is_not_reminded(record):
    record.officer.status = OfficerStatus.LEFT
    record.officer.save()
    assert _due("training-expired", EXPIRES) == []


def test_reminder_body_carries_ids_and_links_only(record):
    (reminder,) = _due("training-expired", EXPIRES)
    assert f"Training record {record.pk}" in reminder.body
    assert f"/admin/officers/officer/{record.officer.pk}/change/" in reminder.body
    assert record.officer.last_name not in reminder.body


def test_dispatching_twice_sends_each_training_reminder_once(record, django_capture_on_commit_callbacks):
    BCUManagerFactory(email="manager.one@police.invalid")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due_reminders(on=EXPIRES.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == ["manager.one@police.invalid", "pc.officer@police.invalid"]
    sent = Delivery.objects.filter(
        kind="training-expired", object_key=f"training:{record.pk}", status=DeliveryStatus.SENT
    )
    assert sent.count() == 2


def test_inactive_bcu_manager_is_not_reminded(record):
    BCUManagerFactory(email="retired.manager@police.invalid", is_active=False)
    (reminder,) = _due("training-expired", EXPIRES)
    assert "retired.manager@police.invalid" not in reminder.recipients


def test_reminder_goes_to_the_managers_of_the_officers_bcu_when_it_has_some(record):
    own = BCUManagerFactory(email="own.bcu@police.invalid")
    BCUManagerFactory(email="other.bcu@police.invalid")
    record.officer.bcu.managers.add(own)
    (reminder,) = _due("training-expiring-30", EXPIRES - datetime.timedelta(days=30))
    assert reminder.recipients == ("pc.officer@police.invalid", "own.bcu@police.invalid")


def test_asked_for_one_record_the_kind_yields_only_that_one(record):
    BCUManagerFactory(email="manager.one@police.invalid")
    other = TrainingRecordFactory(course=record.course, completed_on=COMPLETED)
    on = EXPIRES - datetime.timedelta(days=7)
    assert {r.object_key for r in _due("training-expiring-7", on)} == {f"training:{record.pk}", f"training:{other.pk}"}
    only = list(REMINDER_KINDS["training-expiring-7"](on, object_key=f"training:{record.pk}"))
    assert [r.object_key for r in only] == [f"training:{record.pk}"]
