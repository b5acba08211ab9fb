import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from core.reminders import REMINDER_KINDS
from notifications.models import Delivery, DeliveryStatus
from reminders.tasks import dispatch_due_reminders
from searches.reminders import KIND
from searches.services import record_referral
from tests.factories.officers import BCUManagerFactory, UserFactory
from tests.factories.searches import IntimateSearchFactory, SearchRecordFactory

pytestmark = pytest.mark.django_db

SEARCHED_ON = datetime.date(2026, 10, 14)


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the daily dispatch as beat would, sending what it enqueues on commit."""

    def run(on: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due_reminders(on=on)

    return run


@pytest.fixture
def managers():
    return [BCUManagerFactory(username="m1"), BCUManagerFactory(username="m2")]


def _search(**fields):
    return IntimateSearchFactory(
        searched_at=datetime.datetime(2026, 10, 14, 15, 0, tzinfo=ZoneInfo("Europe/London")), **fields
    )


def test_kind_is_registered():
    assert KIND == "search-referral-outstanding"
    assert KIND in REMINDER_KINDS


def test_outstanding_referral_escalates_to_every_bcu_manager_each_day_once(managers, dispatch):
    search = _search()
    dispatch("2026-10-14")
    dispatch("2026-10-14")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in managers)
    dispatch("2026-10-15")
    assert len(mail.outbox) == 4
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT)
    assert set(sent.values_list("object_key", flat=True)) == {f"search:{search.pk}"}


def test_no_escalation_before_the_day_of_the_search(managers, dispatch):
    _search()
    dispatch("2026-10-13")
    assert mail.outbox == []


def test_escalation_stops_once_the_referral_is_recorded(managers, dispatch):
    search = _search()
    dispatch("2026-10-14")
    record_referral(search=search, referral_reference="MASH-7", recorded_by=managers[0])
    dispatch("2026-10-15")
    assert len(mail.outbox) == 2


def test_no_escalation_for_adults_or_less_intrusive_searches(managers, dispatch):
    _search(child_age=18)
    SearchRecordFactory(searched_at=datetime.datetime(2026, 10, 14, 9, tzinfo=ZoneInfo("Europe/London")))
    dispatch("2026-10-20")
    assert mail.outbox == []


def test_escalation_carries_ids_and_a_link_only(managers, dispatch):
    search = _search(appropriate_adult_name="Dana Whitlock", reason="Drugs concealed")
    dispatch("2026-10-14")
    message = mail.outbox[0]
    assert f"/admin/searches/searchrecord/{search.pk}/change/" in message.body
    text = message.subject + message.body
    personal_details = [
        "Dana Whitlock",
        "Drugs concealed",
        search.reference,
        search.get_self_defined_ethnicity_display(),
        search.get_gender_display(),
        search.school.name,
    ]
    for personal in personal_details:
        assert personal not in text
    # The age must not appear as a number of its own (the record id may contain its digits).
    assert not re.search(rf"\b{search.child_age}\b", text.replace(str(search.pk), ""))


def test_staff_outside_the_group_and_inactive_managers_are_not_told(dispatch):
    UserFactory(username="staff", is_staff=True)
    BCUManagerFactory(username="gone", is_active=False)
    _search()
    dispatch("2026-10-14")
    assert mail.outbox == []


def test_escalation_says_how_long_the_referral_has_been_outstanding(managers, dispatch):
    _search()
    dispatch("2026-10-14")
    dispatch("2026-10-16")
    subjects = [message.subject for message in mail.outbox]
    assert "(day of the search)" in subjects[0]
    assert "(2 days)" in subjects[-1]


def test_escalation_goes_to_the_managers_of_the_searchs_bcu_when_it_has_some(managers, dispatch):
    search = _search()
    search.bcu.managers.add(managers[1])
    dispatch("2026-10-14")
    assert [message.to[0] for message in mail.outbox] == [managers[1].email]


def test_asked_for_one_search_the_kind_yields_only_that_one(managers):
    wanted, _other = _search(), _search()
    reminders = list(REMINDER_KINDS[KIND](SEARCHED_ON, object_key=f"search:{wanted.pk}"))
    assert [reminder.object_key for reminder in reminders] == [f"search:{wanted.pk}"]
