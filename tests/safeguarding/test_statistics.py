import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.models import Category, ConcernStatus
from safeguarding.selectors import concern_statistics
from schools.models import School
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def test_counts_per_school_by_category_status_and_sharing(school_a, school_b):
    ConcernFactory(school=school_a, category=Category.ONLINE)
    ConcernFactory(school=school_a, category=Category.NEGLECT, shared_with_police=True, shared_at=timezone.now())
    ConcernFactory(school=school_a, category=Category.ONLINE, status=ConcernStatus.CLOSED, outcome="other")
    rows = {row["urn"]: row for row in concern_statistics(schools=School.objects.all())}
    a, b = rows[school_a.urn], rows[school_b.urn]
    assert a["total"] == 3
    assert a["by_category"][Category.ONLINE] == 2
    assert a["by_category"][Category.NEGLECT] == 1
    assert a["by_status"] == {"open": 2, "under_review": 0, "referred": 0, "closed": 1}
    assert a["shared_with_police"] == 1
    assert b["total"] == 0


def test_rows_hold_counts_and_never_contents(school_a):
    ConcernFactory(school=school_a, pupil_reference="REF-HIDDEN", description="Hidden text")
    (row,) = concern_statistics(schools=School.objects.filter(pk=school_a.pk))
    assert "REF-HIDDEN" not in str(row) and "Hidden text" not in str(row)


def test_date_range_is_inclusive_of_both_ends_in_london_time(school_a):
    ConcernFactory(school=school_a, created_at=_at(datetime.date(2026, 3, 31), 23))  # outside
    ConcernFactory(school=school_a, created_at=_at(datetime.date(2026, 4, 1), 0))  # first day
    ConcernFactory(school=school_a, created_at=_at(datetime.date(2026, 4, 30), 23))  # last day
    ConcernFactory(school=school_a, created_at=_at(datetime.date(2026, 5, 1), 0))  # outside
    (row,) = concern_statistics(
        schools=School.objects.filter(pk=school_a.pk),
        date_from=datetime.date(2026, 4, 1),
        date_to=datetime.date(2026, 4, 30),
    )
    assert row["total"] == 2


def test_statistics_take_one_query_however_many_schools(django_assert_num_queries):
    for _ in range(3):
        ConcernFactory(school=SchoolFactory())
    with django_assert_num_queries(1):  # schools annotated with every count
        concern_statistics(schools=School.objects.all())
    for _ in range(5):
        ConcernFactory(school=SchoolFactory())
    with django_assert_num_queries(1):
        concern_statistics(schools=School.objects.all())


def test_statistics_page_shows_counts_to_a_council_reader(client, council_reader, school_a):
    ConcernFactory(school=school_a, pupil_reference="REF-HIDDEN")
    client.force_login(council_reader)
    response = client.get(reverse("safeguarding:statistics"))
    assert response.status_code == 200
    assert school_a.name in response.content.decode()
    assert "REF-HIDDEN" not in response.content.decode()


def test_statistics_page_rejects_an_end_date_before_the_start(client, manager):
    client.force_login(manager)
    response = client.get(reverse("safeguarding:statistics"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_statistics_page_query_count_does_not_grow_with_schools(client, manager, django_assert_max_num_queries):
    client.force_login(manager)
    for _ in range(3):
        ConcernFactory(school=SchoolFactory())
    # ATOMIC_REQUESTS savepoint and release (2), session, user, the device that verified the session
    # (MFA), group names (role check), the statistics query, then the session save with its
    # savepoint and release (3): 10 in all.
    with django_assert_max_num_queries(10):
        client.get(reverse("safeguarding:statistics"))
    for _ in range(10):
        ConcernFactory(school=SchoolFactory())
    with django_assert_max_num_queries(10):
        client.get(reverse("safeguarding:statistics"))


def _total_cell_of(response, school) -> str:
    rows = {row["urn"]: row for row in response.context["rows"]}
    return rows[school.urn]["total"]


def test_statistics_page_suppresses_small_counts_for_a_council_reader(client, council_reader, school_a):
    for _ in range(3):
        ConcernFactory(school=school_a)
    client.force_login(council_reader)
    response = client.get(reverse("safeguarding:statistics"))
    assert _total_cell_of(response, school_a) == "c"
    assert "shown as <strong>c</strong>" in response.content.decode()


def test_statistics_page_shows_a_council_reader_counts_of_five_or_more(client, council_reader, school_a):
    for _ in range(5):
        ConcernFactory(school=school_a, category=Category.BULLYING)
    client.force_login(council_reader)
    response = client.get(reverse("safeguarding:statistics"))
    assert _total_cell_of(response, school_a) == 5


def test_statistics_page_shows_a_bcu_manager_exact_small_counts(client, manager, school_a):
    for _ in range(3):
        ConcernFactory(school=school_a)
    client.force_login(manager)
    response = client.get(reverse("safeguarding:statistics"))
    assert _total_cell_of(response, school_a) == 3


def test_a_council_reader_sees_only_the_schools_of_their_local_authorities(client, council_reader, school_a, school_b):
    assert school_a.local_authority_id != school_b.local_authority_id
    client.force_login(council_reader)
    response = client.get(reverse("safeguarding:statistics"))
    assert [row["urn"] for row in response.context["rows"]] == [school_a.urn]
    assert school_b.name not in response.content.decode()


def test_a_council_reader_of_no_local_authority_sees_no_school_and_is_told_why(client, council_reader, school_a):
    school_a.local_authority.council_readers.remove(council_reader)
    client.force_login(council_reader)
    response = client.get(reverse("safeguarding:statistics"))
    assert response.context["rows"] == []
    assert "not yet linked to a local authority" in response.content.decode()


def test_a_bcu_manager_sees_every_open_school(client, manager, school_a, school_b):
    client.force_login(manager)
    response = client.get(reverse("safeguarding:statistics"))
    assert {row["urn"] for row in response.context["rows"]} == {school_a.urn, school_b.urn}
    assert "not yet linked" not in response.content.decode()


def test_statistics_page_reads_a_council_readers_local_authorities_once(client, council_reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(council_reader)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("safeguarding:statistics")).status_code == 200
    reads = [q for q in ctx.captured_queries if '"schools_localauthority_council_readers"' in q["sql"]]
    assert len(reads) == 1
