import datetime

import pytest

from casework.models import TransferMethod, TransferStatus
from casework.reminders import challenge_no_response, latest_due_date, transfer_not_acknowledged
from core.reminders import REMINDER_KINDS
from notifications.models import Delivery
from reminders.services import dispatch_reminders
from tests.factories.casework import FileTransferFactory, ProfessionalChallengeFactory
from tests.factories.schools import DSLContactFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)


def test_the_kinds_are_registered():
    assert REMINDER_KINDS["file-transfer-not-acknowledged"] is transfer_not_acknowledged
    assert REMINDER_KINDS["challenge-no-response"] is challenge_no_response


def test_due_dates_repeat_every_five_school_days():
    assert latest_due_date(MONDAY, 5, datetime.date(2026, 11, 6)) is None
    assert latest_due_date(MONDAY, 5, datetime.date(2026, 11, 9)) == datetime.date(2026, 11, 9)
    assert latest_due_date(MONDAY, 5, datetime.date(2026, 11, 13)) == datetime.date(2026, 11, 9)
    assert latest_due_date(MONDAY, 5, datetime.date(2026, 11, 16)) == datetime.date(2026, 11, 16)


def _transfer(**kwargs):
    transfer = FileTransferFactory(sent_on=MONDAY, **kwargs)
    DSLContactFactory(school=transfer.from_school, email="old@school.invalid")
    if transfer.to_school_id:
        DSLContactFactory(school=transfer.to_school, email="new@school.invalid")
    return transfer


def test_an_unacknowledged_transfer_is_not_reminded_before_the_fifth_school_day():
    _transfer()
    assert list(transfer_not_acknowledged(datetime.date(2026, 11, 6))) == []


def test_it_is_reminded_to_both_schools_dsls_on_the_fifth_school_day_with_a_link_only():
    transfer = _transfer()
    (reminder,) = transfer_not_acknowledged(datetime.date(2026, 11, 9))
    assert reminder.recipients == ("new@school.invalid", "old@school.invalid")
    assert reminder.due_on == datetime.date(2026, 11, 9)
    assert f"/portal/casework/transfers/{transfer.pk}/" in reminder.body
    for secret in (transfer.pupil.reference, transfer.from_school.name, transfer.to_school.name):
        assert secret not in reminder.body + reminder.subject


def test_a_received_but_unacknowledged_transfer_is_still_reminded():
    _transfer(status=TransferStatus.RECEIVED)
    assert len(list(transfer_not_acknowledged(datetime.date(2026, 11, 9)))) == 1


def test_an_acknowledged_transfer_is_not_reminded():
    _transfer(status=TransferStatus.ACKNOWLEDGED)
    assert list(transfer_not_acknowledged(datetime.date(2026, 11, 9))) == []


def test_a_file_sent_outside_the_portal_is_reminded_to_the_sending_school_until_its_receipt_is_recorded():
    _transfer(to_school=None, outside_school_name="Fellside Primary", method=TransferMethod.BY_HAND)
    (reminder,) = transfer_not_acknowledged(datetime.date(2026, 11, 9))
    assert reminder.recipients == ("old@school.invalid",)
    assert "confirmed as received" in reminder.subject


def test_a_missed_day_is_caught_up_and_each_reminder_sent_once():
    _transfer()
    days = [MONDAY + datetime.timedelta(days=n) for n in range(7, 12)]  # 9 to 13 Nov, dispatched late
    dispatch_reminders(days=days)
    dispatch_reminders(days=days)
    deliveries = Delivery.objects.filter(kind="file-transfer-not-acknowledged")
    assert sorted(deliveries.values_list("recipient", flat=True)) == ["new@school.invalid", "old@school.invalid"]


def test_an_open_challenge_with_no_step_for_five_school_days_is_reminded_to_its_opener_and_the_dsls():
    challenge = ProfessionalChallengeFactory(opened_on=MONDAY, opened_by__email="opener@police.invalid")
    DSLContactFactory(school=challenge.school, email="dsl@school.invalid")
    assert list(challenge_no_response(datetime.date(2026, 11, 6))) == []
    (reminder,) = challenge_no_response(datetime.date(2026, 11, 9))
    assert reminder.recipients == ("dsl@school.invalid", "opener@police.invalid")
    assert f"/portal/casework/challenges/{challenge.pk}/" in reminder.body
    assert challenge.decision not in reminder.body


def test_a_new_step_restarts_the_count():
    challenge = ProfessionalChallengeFactory(opened_on=MONDAY)
    DSLContactFactory(school=challenge.school)
    challenge.last_step_on = datetime.date(2026, 11, 5)
    challenge.save()
    assert list(challenge_no_response(datetime.date(2026, 11, 9))) == []


def test_a_resolved_challenge_is_not_reminded():
    challenge = ProfessionalChallengeFactory(opened_on=MONDAY)
    DSLContactFactory(school=challenge.school)
    challenge.status, challenge.resolution, challenge.resolved_on = "resolved", "Agreed", MONDAY
    challenge.save()
    assert list(challenge_no_response(datetime.date(2026, 11, 9))) == []
