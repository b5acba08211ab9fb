import datetime

import pytest

from officers.reminders import latest_term_start, postings_due_for_review
from tests.factories.officers import BCUManagerFactory, PostingFactory, UserFactory

pytestmark = pytest.mark.django_db

AUTUMN = datetime.date(2026, 9, 1)


@pytest.fixture
def manager():
    return BCUManagerFactory(username="reviewer", email="reviewer@police.invalid")


def _keys(on: datetime.date) -> list[str]:
    return [reminder.object_key for reminder in postings_due_for_review(on)]


@pytest.mark.parametrize(
    ("on", "term_start"),
    [
        (datetime.date(2026, 9, 1), datetime.date(2026, 9, 1)),
        (datetime.date(2026, 8, 31), datetime.date(2026, 4, 20)),
        (datetime.date(2026, 12, 31), datetime.date(2026, 9, 1)),
        (datetime.date(2027, 1, 1), datetime.date(2027, 1, 1)),
        (datetime.date(2026, 4, 19), datetime.date(2026, 1, 1)),
        (datetime.date(2026, 4, 20), datetime.date(2026, 4, 20)),
    ],
)
def test_latest_term_start(on, term_start):
    assert latest_term_start(on) == term_start


def test_posting_started_before_term_start_is_due_on_it_to_the_bcu_managers(manager):
    posting = PostingFactory(start_date=datetime.date(2026, 5, 1))
    [reminder] = postings_due_for_review(AUTUMN)
    assert reminder.object_key == f"posting:{posting.pk}"
    assert reminder.due_on == AUTUMN
    assert reminder.recipients == ("reviewer@police.invalid",)


def test_posting_starting_on_the_term_start_is_not_yet_due(manager):
    PostingFactory(start_date=AUTUMN)
    assert _keys(AUTUMN) == []


def test_posting_that_ended_the_day_before_term_start_is_not_due(manager):
    PostingFactory(start_date=datetime.date(2026, 5, 1), end_date=AUTUMN - datetime.timedelta(days=1))
    assert _keys(AUTUMN) == []


def test_missed_days_are_caught_up_for_two_weeks_then_stop(manager):
    posting = PostingFactory(start_date=datetime.date(2026, 5, 1))
    assert _keys(AUTUMN + datetime.timedelta(days=14)) == [f"posting:{posting.pk}"]
    assert _keys(AUTUMN + datetime.timedelta(days=15)) == []


def test_managers_outside_the_group_or_inactive_are_not_recipients(manager):
    UserFactory(username="not-a-manager", email="staff@police.invalid", is_staff=True)
    BCUManagerFactory(username="gone", email="gone@police.invalid", is_active=False)
    PostingFactory(start_date=datetime.date(2026, 5, 1))
    [reminder] = postings_due_for_review(AUTUMN)
    assert reminder.recipients == ("reviewer@police.invalid",)


def test_body_links_to_the_posting_and_names_no_one(manager):
    posting = PostingFactory(start_date=datetime.date(2026, 5, 1))
    [reminder] = postings_due_for_review(AUTUMN)
    assert f"/admin/officers/posting/{posting.pk}/change/" in reminder.body
    assert posting.officer.last_name not in reminder.body
    assert posting.school.name not in reminder.body


def test_asked_for_one_posting_the_kind_yields_only_that_one(manager):
    wanted, _other = PostingFactory.create_batch(2, start_date=datetime.date(2026, 5, 1))
    reminders = list(postings_due_for_review(AUTUMN, object_key=f"posting:{wanted.pk}"))
    assert [reminder.object_key for reminder in reminders] == [f"posting:{wanted.pk}"]


def test_posting_review_goes_to_the_managers_of_the_officers_bcu_only(manager):
    posting = PostingFactory(start_date=datetime.date(2026, 5, 1))
    own = BCUManagerFactory(username="own-bcu", email="own.bcu@police.invalid")
    posting.officer.bcu.managers.add(own)
    [reminder] = postings_due_for_review(AUTUMN)
    assert reminder.recipients == ("own.bcu@police.invalid",)
