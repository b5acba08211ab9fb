"""The change feed under concurrent writers, on PostgreSQL: writers commit in another order than
they wrote their log entries, while a reader follows the cursor; it must see every change once.
Committed data across threads, so these tests use the transactional database."""

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
