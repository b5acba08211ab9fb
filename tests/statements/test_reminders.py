"""The "statement-review" reminder: a year after the statement in force was signed, to the
school's DSLs and head teacher, once per due date."""

import datetime

import pytest

from notifications.models import Delivery
from reminders.services import dispatch_reminders
from statements.reminders import statements_to_review
from tests.factories.schools import DSLContactFactory, SchoolStaffFactory
from tests.factories.statements import SignedStatementFactory

pytestmark = pytest.mark.django_db
SIGNED_ON = datetime.date(2025, 12, 6)


def _due(on):
    return list(statements_to_review(on))


def test_a_statement_signed_a_year_ago_is_due_to_the_dsl_and_head_teacher(school, dsl, head):
    statement = SignedStatementFactory(school=school, signed_on=SIGNED_ON)
    [reminder] = _due(datetime.date(2026, 12, 6))
    assert (reminder.object_key, reminder.due_on) == (f"statement:{statement.pk}", datetime.date(2026, 12, 6))
    assert reminder.recipients == ("dsl@alder.invalid", "head@alder.invalid")


def test_a_statement_signed_less_than_a_year_ago_is_not_due(school, dsl):
    SignedStatementFactory(school=school, signed_on=SIGNED_ON)
    assert _due(datetime.date(2026, 12, 5)) == []


def test_a_newer_signed_version_stops_the_reminder(school, dsl):
    SignedStatementFactory(school=school, version=1, signed_on=SIGNED_ON)
    SignedStatementFactory(school=school, version=2, signed_on=datetime.date(2026, 11, 1))
    assert _due(datetime.date(2026, 12, 6)) == []


def test_former_dsls_and_staff_who_are_not_head_teachers_are_not_reminded(school):
    SignedStatementFactory(school=school, signed_on=SIGNED_ON)
    DSLContactFactory(school=school, is_current=False)
    SchoolStaffFactory(school=school)
    assert _due(datetime.date(2026, 12, 6)) == []


def test_an_overdue_review_is_sent_once_however_often_it_is_dispatched(school, dsl, head):
    SignedStatementFactory(school=school, signed_on=SIGNED_ON)
    days = [datetime.date(2026, 12, 6), datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)]
    dispatch_reminders(days=days)
    dispatch_reminders(days=days[-1:])
    deliveries = Delivery.objects.filter(kind="statement-review")
    assert sorted(deliveries.values_list("recipient", flat=True)) == ["dsl@alder.invalid", "head@alder.invalid"]
