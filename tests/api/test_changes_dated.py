"""Date-driven changes in the change feed: what the date alone changes (a posting starting or
ending, training expiring) is recorded by the daily run, once, catching up missed days."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.changes import record_dated_changes
from api.models import Change, DatedChangesRun
from officers.models import TrainingCourse
from officers.selectors import EXPIRING_WITHIN_DAYS
from tests.factories.officers import PostingFactory, TrainingCourseFactory, TrainingRecordFactory

from .test_changes import keyed, of_records, read_all

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today() -> datetime.date:
    """The feed shows records as they are today, so the runs are dated from the real today."""
    return timezone.localdate()


def last_run_on(day: datetime.date) -> None:
    DatedChangesRun.objects.all().delete()
    DatedChangesRun.objects.create(day=day)


def posted_officer(council, **posting_fields):
    posting = PostingFactory(school__local_authority=council.authority, **posting_fields)
    return posting, posting.officer


def course_statuses(change) -> dict[str, str]:
    return {course["course"]: course["status"] for course in change["training_compliance"]["courses"]}


def required_course() -> TrainingCourse:
    return TrainingCourseFactory(code="RQ1", required_for_sso=True, validity_months=12)


def test_a_required_course_expiring_today_changes_the_officers_compliance(council, today):
    _, officer = posted_officer(council, start_date=today - 100 * DAY)
    TrainingRecordFactory(officer=officer, course=required_course(), completed_on=today - 365 * DAY)
    officer.training_records.update(expires_on=today)  # no write today: the date alone expires it
    last_run_on(today - DAY)
    _, cursor = read_all(council)

    assert record_dated_changes(today=today) == 1
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [("training_compliance", officer.collar_number, False)]
    assert course_statuses(changes[0])["RQ1"] == "expired"
    assert changes[0]["training_compliance"]["is_compliant"] is False


def test_a_required_course_entering_its_expiry_warning_changes_the_officers_compliance(council, today):
    _, officer = posted_officer(council, start_date=today - 100 * DAY)
    TrainingRecordFactory(officer=officer, course=required_course(), completed_on=today - 300 * DAY)
    officer.training_records.update(expires_on=today + EXPIRING_WITHIN_DAYS * DAY)
    last_run_on(today - DAY)
    _, cursor = read_all(council)

    record_dated_changes(today=today)
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [("training_compliance", officer.collar_number, False)]
    assert course_statuses(changes[0])["RQ1"] == "expiring"


def test_a_course_not_required_for_ssos_expiring_is_no_change(council, today):
    _, officer = posted_officer(council, start_date=today - 100 * DAY)
    TrainingRecordFactory(officer=officer, completed_on=today - 365 * DAY)
    officer.training_records.update(expires_on=today)
    last_run_on(today - DAY)

    assert record_dated_changes(today=today) == 0


def test_a_posting_that_ended_yesterday_changes_the_posting_its_school_and_its_officer(council, today):
    posting, officer = posted_officer(council, start_date=today - 100 * DAY, end_date=today - DAY)
    last_run_on(today - DAY)
    _, cursor = read_all(council)

    record_dated_changes(today=today)
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [
        ("posting", str(posting.pk), False),
        ("school", posting.school.urn, False),
        # no longer posted to the client's schools: out of its training compliance list
        ("training_compliance", officer.collar_number, True),
    ]
    assert changes[1]["school"]["current_postings"] == []


def test_a_posting_starting_today_joins_its_schools_current_postings(council, today):
    posting, officer = posted_officer(council, start_date=today)
    last_run_on(today - DAY)
    _, cursor = read_all(council)

    record_dated_changes(today=today)
    changes, _ = read_all(council, cursor)
    assert [change["id"] for change in changes[1]["school"]["current_postings"]] == [posting.pk]
    assert ("training_compliance", officer.collar_number, False) in keyed(changes)


def test_a_second_run_the_same_day_records_nothing(council, today):
    posted_officer(council, start_date=today)
    last_run_on(today - DAY)

    assert record_dated_changes(today=today) == 3
    assert record_dated_changes(today=today) == 0
    assert DatedChangesRun.objects.filter(day=today).count() == 1


def test_a_run_catches_up_the_days_since_the_last_one(council, today):
    posting, _ = posted_officer(council, start_date=today - 100 * DAY, end_date=today - 3 * DAY)
    last_run_on(today - 3 * DAY)  # the posting's last day: beat was down since
    Change.objects.all().delete()  # those of the posting's creation

    record_dated_changes(today=today)
    assert ("posting", str(posting.pk)) in set(Change.objects.values_list("kind", "public_id"))


def test_a_day_already_run_is_not_recorded_again(council, today):
    posting, _ = posted_officer(council, start_date=today - 100 * DAY, end_date=today - 2 * DAY)
    last_run_on(today - DAY)  # the day the posting left its school's current postings was recorded

    assert record_dated_changes(today=today) == 0


def test_a_database_that_never_ran_records_today_only(council, today):
    ended_yesterday, _ = posted_officer(council, start_date=today - 100 * DAY, end_date=today - DAY)
    ended_before, _ = posted_officer(council, start_date=today - 100 * DAY, end_date=today - 2 * DAY)
    DatedChangesRun.objects.all().delete()
    Change.objects.all().delete()  # those of the postings' creation

    record_dated_changes(today=today)
    recorded = set(Change.objects.filter(kind="posting").values_list("object_id", flat=True))
    assert ended_yesterday.pk in recorded
    assert ended_before.pk not in recorded


def test_a_client_of_another_authority_does_not_see_them(council, other_council, today):
    posted_officer(council, start_date=today)
    last_run_on(today - DAY)
    _, cursor = read_all(other_council)

    record_dated_changes(today=today)
    assert of_records(read_all(other_council, cursor)[0]) == []


def test_the_command_records_them_and_says_how_many(council, today, capsys):
    posted_officer(council, start_date=today)
    last_run_on(today - DAY)

    call_command("record_dated_changes")
    assert capsys.readouterr().out.strip() == "3 date-driven changes recorded."


def test_the_daily_task_records_them(council, today):
    from api.tasks import record_dated_changes as task

    posted_officer(council, start_date=today)
    last_run_on(today - DAY)
    assert task.delay().get() == 3


def test_the_daily_run_is_in_the_beat_schedule():
    from ssoportal.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["record-dated-changes"]["task"] == "api.tasks.record_dated_changes"
