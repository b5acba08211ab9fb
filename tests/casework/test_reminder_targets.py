"""A reminder asked for one record reminds of that record only, and of none that nobody can receive."""

import datetime

import pytest

from casework.reminders import challenge_no_response, transfer_not_acknowledged
from tests.factories.casework import FileTransferFactory, ProfessionalChallengeFactory
from tests.factories.officers import UserFactory
from tests.factories.schools import DSLContactFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)
FIFTH_SCHOOL_DAY = datetime.date(2026, 11, 9)


def _transfer_with_dsls():
    transfer = FileTransferFactory(sent_on=MONDAY)
    DSLContactFactory(school=transfer.from_school)
    DSLContactFactory(school=transfer.to_school)
    return transfer


def _challenge_without_response():
    return ProfessionalChallengeFactory(opened_on=MONDAY, last_step_on=MONDAY)


def test_a_transfer_reminder_asked_by_key_covers_that_transfer_only():
    _transfer_with_dsls()
    wanted = _transfer_with_dsls()
    reminders = list(transfer_not_acknowledged(FIFTH_SCHOOL_DAY, object_key=f"transfer:{wanted.pk}"))
    assert [reminder.object_key for reminder in reminders] == [f"transfer:{wanted.pk}"]


def test_a_transfer_between_schools_with_no_dsl_is_not_reminded():
    FileTransferFactory(sent_on=MONDAY)
    assert list(transfer_not_acknowledged(FIFTH_SCHOOL_DAY)) == []


def test_a_challenge_reminder_asked_by_key_covers_that_challenge_only():
    _challenge_without_response()
    wanted = _challenge_without_response()
    reminders = list(challenge_no_response(FIFTH_SCHOOL_DAY, object_key=f"challenge:{wanted.pk}"))
    assert [reminder.object_key for reminder in reminders] == [f"challenge:{wanted.pk}"]


def test_a_challenge_nobody_can_be_told_about_is_not_reminded():
    ProfessionalChallengeFactory(opened_on=MONDAY, last_step_on=MONDAY, opened_by=UserFactory(email=""))
    assert list(challenge_no_response(FIFTH_SCHOOL_DAY)) == []
