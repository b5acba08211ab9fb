"""The change feed under concurrent writers, on PostgreSQL: writers commit in another order than
they wrote their log entries, while a reader follows the cursor; it must see every change once.
Committed data across threads, so these tests use the transactional database."""

import datetime
import random
import threading
import time

import pytest
from django.db import connection, transaction

from api.changes import changes_after, seal_changes
from api.models import Change
from schools.models import School
from tests.factories.schools import SchoolFactory

from .conftest import make_council

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"),
]


def _rename(school_pk: int, name: str, hold: float) -> None:
    """Save a school in a transaction held open ``hold`` seconds after its log entry is written."""
    try:
        with transaction.atomic():
            school = School.objects.get(pk=school_pk)
            school.name = name
            school.save()
            time.sleep(hold)
    finally:
        connection.close()


def test_a_change_written_first_but_committed_last_is_not_skipped():
    council = make_council()
    first, second = SchoolFactory.create_batch(2, local_authority=council.authority)
    start = seal_changes()
    slow = threading.Thread(target=_rename, args=(first.pk, "Slow", 1.5))
    slow.start()
    time.sleep(0.5)  # the slow writer's entry now has the lower id, uncommitted
    _rename(second.pk, "Fast", 0)
    seal_changes()
    seen = changes_after(client=council.client, position=start, limit=100)
    assert [change.public_id for change in seen] == [second.urn]
    cursor = seen[-1].position
    slow.join()
    seal_changes()
    later = changes_after(client=council.client, position=cursor, limit=100)
    assert [change.public_id for change in later] == [first.urn]
    assert later[0].id < seen[0].id  # written first, yet after the cursor


def test_concurrent_writers_and_a_reader_see_every_change_exactly_once():
    council = make_council()
    schools = SchoolFactory.create_batch(6, local_authority=council.authority)
    cursor = seal_changes()
    before = Change.objects.order_by("-id").values_list("id", flat=True).first()
    rng = random.Random(7)
    plan = [(rng.choice(schools).pk, f"Name {n}", rng.uniform(0, 0.05)) for n in range(60)]
    done = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def reader() -> None:
        nonlocal cursor
        try:
            while True:
                finished = done.is_set()
                seal_changes()
                page = changes_after(client=council.client, position=cursor, limit=7)
                seen.extend(change.id for change in page)
                if page:
                    cursor = page[-1].position
                elif finished:
                    return
                time.sleep(0.01)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    def writer(jobs) -> None:
        for job in jobs:
            _rename(*job)

    reading = threading.Thread(target=reader)
    writers = [threading.Thread(target=writer, args=(plan[n::4],)) for n in range(4)]
    reading.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reading.join()

    assert errors == []
    written = set(Change.objects.filter(id__gt=before).values_list("id", flat=True))
    assert len(written) == len(plan)  # one school change per save
    assert len(seen) == len(set(seen)), "a change was served twice"
    assert set(seen) == written, "a change was skipped"


def _log_activity(activity: dict, occurred_on, hold: float) -> None:
    """Log an activity in a transaction held open ``hold`` seconds after its refresh is written."""
    from workspace.models import Activity

    try:
        with transaction.atomic():
            Activity.objects.create(**activity, occurred_on=occurred_on)
            time.sleep(hold)
    finally:
        connection.close()


def test_a_statistics_refresh_committed_after_another_was_read_still_comes():
    # Each transaction writes its own refresh: one committed later is never folded into one a
    # client may already have read (and acted on, before the later figures were committed).
    from tests.factories.officers import OfficerFactory, UserFactory
    from tests.factories.workspace import category

    council = make_council()
    school = SchoolFactory(local_authority=council.authority)
    officer = OfficerFactory()
    # What both writers share is made first, so they write nothing else that could conflict.
    activity = {"school": school, "officer": officer, "category": category(), "recorded_by": UserFactory()}
    start = seal_changes()
    slow = threading.Thread(target=_log_activity, args=(activity, datetime.date(2026, 9, 15), 1.5))
    slow.start()
    time.sleep(0.5)
    _log_activity(activity, datetime.date(2026, 11, 2), 0)
    seal_changes()
    seen = changes_after(client=council.client, position=start, limit=100)
    assert [(change.kind, change.period_start) for change in seen] == [
        ("activity_summary", datetime.date(2026, 11, 1))
    ]
    slow.join()
    seal_changes()
    later = changes_after(client=council.client, position=seen[-1].position, limit=100)
    assert [(change.kind, change.period_start) for change in later] == [
        ("activity_summary", datetime.date(2026, 9, 1))
    ]


def test_two_daily_runs_at_the_same_time_record_the_days_changes_once():
    from django.utils import timezone

    from api.changes import record_dated_changes
    from api.models import DatedChangesRun
    from tests.factories.officers import PostingFactory

    council = make_council()
    today = timezone.localdate()
    PostingFactory(school__local_authority=council.authority, start_date=today)
    DatedChangesRun.objects.all().delete()
    DatedChangesRun.objects.create(day=today - datetime.timedelta(days=1))
    before = Change.objects.order_by("-id").values_list("id", flat=True).first()
    recorded: list[int] = []

    def slow_run() -> None:
        try:
            with transaction.atomic():
                recorded.append(record_dated_changes(today=today))
                time.sleep(1.5)  # today's run row written, not committed
        finally:
            connection.close()

    first = threading.Thread(target=slow_run)
    first.start()
    time.sleep(0.5)
    second = record_dated_changes(today=today)  # waits for the first run's row, then finds today done
    first.join()

    assert (recorded, second) == ([3], 0)
    assert Change.objects.filter(id__gt=before).count() == 3
