"""Eligibility before saving: the officer list's column and filter, and the posting form's chooser."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.officers import BCUFactory, make_eligible_officer
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)


@pytest.fixture
def riverbank(bcu_manager):
    bcu = BCUFactory(name="Riverbank BCU")
    bcu.managers.add(bcu_manager)
    return bcu


def _officers(bcu, *, eligible: int, in_probation: int, on: datetime.date = START):
    made = [make_eligible_officer(on=on, bcu=bcu, last_name=f"Ready{i}") for i in range(eligible)]
    made += [
        make_eligible_officer(on=on, bcu=bcu, last_name=f"Probation{i}", probation_end_date=on)
        for i in range(in_probation)
    ]
    return made


def test_officer_list_shows_eligible_or_the_first_blocking_reason(manager_client, riverbank):
    _officers(riverbank, eligible=1, in_probation=1)

    content = manager_client.get(reverse("admin:officers_officer_changelist"), {"eligible_on": "2026-09-01"}).content

    text = content.decode()
    assert '<td class="field-eligibility">Eligible</td>' in text
    assert "Blocked: The officer is in probation until 1 Sep 2026 (start date 1 Sep 2026)." in text


@pytest.mark.parametrize(
    ("value", "shown", "hidden"), [("yes", "Ready0", "Probation0"), ("no", "Probation0", "Ready0")]
)
def test_officer_list_filters_by_eligibility_on_a_date(manager_client, riverbank, value, shown, hidden):
    _officers(riverbank, eligible=1, in_probation=1)

    response = manager_client.get(
        reverse("admin:officers_officer_changelist"), {"eligible": value, "eligible_on": "2026-09-01"}
    )

    assert shown in response.content.decode()
    assert hidden not in response.content.decode()


def test_the_eligibility_date_changes_the_answer(manager_client, riverbank):
    # In probation until 1 Sep 2026: blocked that day, eligible the day after.
    _officers(riverbank, eligible=0, in_probation=1)
    url = reverse("admin:officers_officer_changelist")

    on_the_day = manager_client.get(url, {"eligible": "yes", "eligible_on": "2026-09-01"}).content.decode()
    day_after = manager_client.get(url, {"eligible": "yes", "eligible_on": "2026-09-02"}).content.decode()

    assert "Probation0" not in on_the_day
    assert "Probation0" in day_after


def test_a_malformed_eligibility_date_is_refused_as_a_bad_filter(manager_client, riverbank):
    response = manager_client.get(reverse("admin:officers_officer_changelist"), {"eligible_on": "1st September"})

    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def _queries(client, url, params=None) -> int:
    # Once first, uncounted: a process's first request of a page fills caches (content types and
    # the like) with queries of its own, which depend on what ran before in that process.
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"eligible": "yes"}], ids=["column", "column and filter"])
def test_officer_list_queries_do_not_grow_with_officers(manager_client, riverbank, params):
    url = reverse("admin:officers_officer_changelist")
    _officers(riverbank, eligible=1, in_probation=1, on=timezone.localdate())
    with_two = _queries(manager_client, url, params)

    _officers(riverbank, eligible=6, in_probation=6, on=timezone.localdate())

    assert _queries(manager_client, url, params) == with_two


def test_officer_list_queries_counted(manager_client, riverbank, django_assert_num_queries):
    _officers(riverbank, eligible=3, in_probation=3, on=timezone.localdate())
    queries = [
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the user's own permissions",
        "the user's groups' permissions",
        "the user's groups (roles)",
        "the BCU filter's choices",
        "how many officers match the filters",
        "how many officers there are",
        "one page of officers with their BCU and login",
        "eligibility: the officers' latest suitability assessments on the day",
        "eligibility: the required courses",
        "eligibility: the officers",
        "eligibility: their records of the required courses",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    with django_assert_num_queries(len(queries)):
        manager_client.get(reverse("admin:officers_officer_changelist"))


def test_posting_form_lists_eligible_officers_of_the_schools_bcu_first(manager_client, riverbank, bcu_manager):
    hartwell = BCUFactory(name="Hartwell BCU")
    hartwell.managers.add(bcu_manager)
    make_eligible_officer(on=START, bcu=hartwell, last_name="Elsewhere")
    _officers(riverbank, eligible=1, in_probation=1)
    school = SchoolFactory(bcu=riverbank)

    response = manager_client.get(
        reverse("admin:officers_posting_add"), {"school": school.pk, "start_date": "2026-09-01"}
    )

    groups = [
        (name, [label for _, label in options])
        for name, options in response.context["adminform"].form.fields["officer"].choices
        if name
    ]
    assert [name for name, _ in groups] == [
        "Eligible on 1 Sep 2026: Riverbank BCU",
        "Eligible on 1 Sep 2026: other BCUs",
        "Blocked on 1 Sep 2026",
    ]
    assert "Ready0" in groups[0][1][0] and groups[0][1][0].endswith("Eligible")
    assert "Elsewhere" in groups[1][1][0]
    assert groups[2][1][0].endswith("Blocked: The officer is in probation until 1 Sep 2026 (start date 1 Sep 2026).")


def test_posting_form_offers_only_the_managers_officers(manager_client, riverbank):
    make_eligible_officer(on=START, bcu=BCUFactory(name="Hartwell BCU"), last_name="NotMine")
    _officers(riverbank, eligible=1, in_probation=0)

    content = manager_client.get(reverse("admin:officers_posting_add")).content.decode()

    assert "Ready0" in content
    assert "NotMine" not in content


def test_posting_form_queries_do_not_grow_with_officers(manager_client, riverbank):
    school = SchoolFactory(bcu=riverbank)
    url = reverse("admin:officers_posting_add") + f"?school={school.pk}&start_date=2026-09-01"
    _officers(riverbank, eligible=1, in_probation=1)
    with_two = _queries(manager_client, url)

    _officers(riverbank, eligible=5, in_probation=5)

    assert _queries(manager_client, url) == with_two


@pytest.mark.parametrize(
    ("value", "shown"),
    [("probation", "Probation0"), ("training", "Untrained"), ("training:SSO-SGC", "Untrained"), ("vetting", None)],
)
def test_officer_list_filters_by_the_kind_of_blocking_reason(manager_client, riverbank, value, shown):
    from officers.models import TrainingCourse

    _officers(riverbank, eligible=1, in_probation=1)
    untrained = make_eligible_officer(on=START, bcu=riverbank, last_name="Untrained")
    untrained.training_records.filter(course=TrainingCourse.objects.get(code="SSO-SGC")).delete()

    content = manager_client.get(
        reverse("admin:officers_officer_changelist"), {"eligible": value, "eligible_on": "2026-09-01"}
    ).content.decode()

    listed = {name for name in ("Ready0", "Probation0", "Untrained") if name in content}
    assert listed == ({shown} if shown else set())
