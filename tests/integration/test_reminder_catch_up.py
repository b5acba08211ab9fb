"""Beat and the workers down for three days: on restart the dispatch sends every reminder that fell
due meanwhile, each exactly once, through a real worker on Redis and PostgreSQL."""

import datetime
import time

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from reminders.models import DispatchRun
from reminders.tasks import dispatch_due_reminders
from tests.factories.officers import OfficerFactory, TrainingCourseFactory, TrainingRecordFactory, UserFactory

from .conftest import VISIBILITY_TIMEOUT_SECONDS, sent_messages, wait_until

pytestmark = [pytest.mark.integration]


def _training_expiring(on: datetime.date, n: int):
    """A record whose 30-day reminder falls due on ``on - 30 days``, for an officer of its own."""
    officer = OfficerFactory(user=UserFactory(username=f"officer{n}", email=f"officer{n}@police.invalid"))
    record = TrainingRecordFactory(
        officer=officer, course=TrainingCourseFactory(validity_months=12), completed_on=on - relativedelta(months=12)
    )
    assert record.expires_on == on
    return record


def test_three_missed_days_of_reminders_are_each_sent_once_when_the_dispatcher_returns(start_worker, mail_dir):
    today = timezone.localdate()
    DispatchRun.objects.create(day=today - datetime.timedelta(days=4))  # the last run before the outage
    missed = [today - datetime.timedelta(days=n) for n in (3, 2, 1, 0)]
    records = [_training_expiring(day + datetime.timedelta(days=30), n) for n, day in enumerate(missed)]

    start_worker()
    dispatch_due_reminders.delay()  # the restarted beat's missed 06:00 run
    dispatch_due_reminders.delay()  # and a second one (a duplicate beat, a replay): nothing more
    wait_until(lambda: len(sent_messages(mail_dir)) >= len(records), timeout=90, what="the caught-up reminders")
    time.sleep(3 * VISIBILITY_TIMEOUT_SECONDS)

    recipients = sorted(line for m in sent_messages(mail_dir) for line in m.splitlines() if line.startswith("To: "))
    assert recipients == [f"To: officer{n}@police.invalid" for n in range(len(records))]
    reminders = Delivery.objects.filter(kind="training-expiring-30")
    assert sorted(reminders.values_list("due_on", flat=True)) == missed
    assert set(reminders.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert set(DispatchRun.objects.values_list("day", flat=True)) >= set(missed)
