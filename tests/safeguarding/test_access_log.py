"""A school's DSLs see who read or changed their school's concerns: the access log page and the
"who has read this" section of each concern's page."""

import datetime

import pytest
from django.urls import reverse

from officers.models import Rank
from safeguarding.models import AuditChannel, AuditEvent
from tests.factories.officers import OfficerFactory, UserFactory
from tests.factories.roles import safeguarding_auditor
from tests.factories.safeguarding import ConcernAuditEntryFactory, ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db

LOG_URL = "safeguarding:access-log"
UTC = datetime.UTC


def _log(client, user, **filters):
    client.force_login(user)
    return client.get(reverse(LOG_URL), filters)


def _who(response) -> list[str]:
    return [row.who for row in response.context["rows"]]


def _concern_ids(response) -> list[int]:
    return [row.concern_id for row in response.context["rows"]]


def _officer_login(last_name="Okafor", rank=Rank.CONSTABLE):
    user = UserFactory()
    OfficerFactory(user=user, last_name=last_name, rank=rank)
    return user


# Who sees it.


def test_a_dsl_sees_the_reads_of_their_schools_concerns(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a)

    response = _log(client, dsl_a)

    assert response.status_code == 200
    assert _concern_ids(response) == [concern_a.pk]


def test_a_dsl_does_not_see_another_schools_log(client, dsl_a, concern_a, concern_b):
    ConcernAuditEntryFactory(concern=concern_b)

    assert _concern_ids(_log(client, dsl_a)) == []


def test_another_schools_dsl_does_not_see_this_schools_log(client, dsl_b, concern_a):
    ConcernAuditEntryFactory(concern=concern_a)

    assert _concern_ids(_log(client, dsl_b)) == []


def test_a_former_dsl_is_refused(client, school_a, concern_a):
    former = UserFactory()
    DSLContactFactory(school=school_a, user=former, role="deputy", is_current=False)

    assert _log(client, former).status_code == 403


def test_the_schools_sso_is_refused(client, sso_a, shared_concern_a):
    ConcernAuditEntryFactory(concern=shared_concern_a)

    assert _log(client, sso_a).status_code == 403


@pytest.mark.parametrize("role", ["manager", "council_reader", "plain_staff"])
def test_police_and_council_staff_are_refused(client, request, role):
    assert _log(client, request.getfixturevalue(role)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse(LOG_URL))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# What it shows.


def test_a_dsl_is_named_with_their_role(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a, user=dsl_a)

    assert _who(_log(client, dsl_a)) == ["Dana Lead (DSL)"]


def test_an_officer_is_named_by_rank_and_surname(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a, user=_officer_login("Okafor", Rank.SERGEANT))

    assert _who(_log(client, dsl_a)) == ["PS Okafor (SSO)"]


def test_a_read_in_the_admin_is_shown_as_administrator_without_a_name(client, dsl_a, concern_a):
    auditor = safeguarding_auditor(username="auditor-jones", first_name="Alex", last_name="Jones")
    ConcernAuditEntryFactory(concern=concern_a, user=auditor, channel=AuditChannel.ADMIN)

    response = _log(client, dsl_a)

    assert _who(response) == ["Administrator"]
    assert "Jones" not in response.content.decode()


def test_a_change_shows_the_fields_changed(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a, event=AuditEvent.CHANGED, fields="status,outcome")

    assert [row.what for row in _log(client, dsl_a).context["rows"]] == ["Changed (status, outcome)"]


def test_the_page_shows_when_and_links_to_the_concern(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a, at=datetime.datetime(2026, 12, 6, 14, 3, tzinfo=UTC))

    text = _log(client, dsl_a).content.decode()

    assert "6 Dec 2026<br>14:03" in text
    assert reverse("safeguarding:concern-detail", args=[concern_a.pk]) in text


def test_the_page_shows_no_concern_contents(client, dsl_a, school_a):
    concern = ConcernFactory(school=school_a, pupil_reference="PUPIL-LOG-5120", description="Marker-log-5120")
    ConcernAuditEntryFactory(concern=concern)

    text = _log(client, dsl_a).content.decode()

    assert "PUPIL-LOG-5120" not in text
    assert "Marker-log-5120" not in text


def test_the_school_is_named_only_for_a_dsl_of_several_schools(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a)
    assert "Alder School" not in _log(client, dsl_a).content.decode()

    DSLContactFactory(school=SchoolFactory(), user=dsl_a, role="deputy")

    assert "Alder School" in _log(client, dsl_a).content.decode()


def test_viewing_the_log_is_not_itself_a_read_of_a_concern(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a)

    _log(client, dsl_a)

    assert concern_a.audit_entries.count() == 1


# Filters and pages.


def test_the_log_can_be_filtered_by_concern(client, dsl_a, school_a, concern_a):
    other = ConcernFactory(school=school_a)
    ConcernAuditEntryFactory(concern=concern_a)
    ConcernAuditEntryFactory(concern=other)

    assert _concern_ids(_log(client, dsl_a, concern=other.pk)) == [other.pk]


def test_filtering_by_another_schools_concern_shows_nothing(client, dsl_a, concern_b):
    ConcernAuditEntryFactory(concern=concern_b)

    assert _concern_ids(_log(client, dsl_a, concern=concern_b.pk)) == []


def test_the_date_range_is_in_london_days(client, dsl_a, concern_a):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    late = ConcernAuditEntryFactory(concern=concern_a, at=datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    ConcernAuditEntryFactory(concern=concern_a, at=datetime.datetime(2026, 6, 30, 12, 0, tzinfo=UTC))
    ConcernAuditEntryFactory(concern=concern_a, at=datetime.datetime(2026, 7, 2, 12, 0, tzinfo=UTC))

    response = _log(client, dsl_a, date_from="2026-07-01", date_to="2026-07-01")

    assert [row.at for row in response.context["rows"]] == [late.at]


def test_a_wrong_date_shows_an_error_and_no_entries(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a)

    response = _log(client, dsl_a, date_from="2026-02-30")

    assert response.status_code == 200
    assert "From must be a real date" in response.content.decode()
    assert response.context["rows"] == []


def test_an_end_date_before_the_start_date_shows_an_error(client, dsl_a):
    response = _log(client, dsl_a, date_from="2026-07-02", date_to="2026-07-01")

    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_the_log_is_paginated_newest_first(client, dsl_a, concern_a):
    start = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    for minute in range(51):
        ConcernAuditEntryFactory(concern=concern_a, at=start + datetime.timedelta(minutes=minute))

    first = _log(client, dsl_a)
    second = _log(client, dsl_a, page=2)

    assert len(first.context["rows"]) == 50
    assert first.context["rows"][0].at == start + datetime.timedelta(minutes=50)
    assert [row.at for row in second.context["rows"]] == [start]


def test_the_dashboard_links_a_dsl_to_the_log(client, dsl_a):
    client.force_login(dsl_a)

    assert reverse(LOG_URL) in client.get(reverse("safeguarding:dashboard")).content.decode()


def test_the_log_makes_a_fixed_number_of_queries(client, dsl_a, school_a, concern_a, django_assert_num_queries):
    for _ in range(5):
        ConcernAuditEntryFactory(concern=ConcernFactory(school=school_a), user=_officer_login())
        ConcernAuditEntryFactory(concern=concern_a, channel=AuditChannel.ADMIN, user=safeguarding_auditor())
    client.force_login(dsl_a)
    queries = [
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "the user's schools as a DSL",
        "how many entries match (the paginator)",
        "one page of entries with each user, their officer record and the school's name",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    with django_assert_num_queries(len(queries)):
        client.get(reverse(LOG_URL), {"concern": "", "date_from": "2026-01-01"})


# "Who has read this" on a concern's page.


def _detail(client, user, concern):
    client.force_login(user)
    return client.get(reverse("safeguarding:concern-detail", args=[concern.pk]))


def test_the_concern_page_tells_its_dsl_who_has_read_it(client, dsl_a, shared_concern_a):
    officer = _officer_login("Okafor")
    for _ in range(2):
        ConcernAuditEntryFactory(concern=shared_concern_a, user=officer)

    readers = _detail(client, dsl_a, shared_concern_a).context["readers"]

    # This view is the latest read.
    assert [(reader.who, reader.reads) for reader in readers] == [("Dana Lead (DSL)", 1), ("PC Okafor (SSO)", 2)]


def test_reads_in_the_admin_count_as_one_reader(client, dsl_a, concern_a):
    for _ in range(2):
        ConcernAuditEntryFactory(concern=concern_a, user=safeguarding_auditor(), channel=AuditChannel.ADMIN)

    readers = _detail(client, dsl_a, concern_a).context["readers"]

    assert [(reader.who, reader.reads) for reader in readers if reader.who == "Administrator"] == [
        ("Administrator", 2)
    ]


def test_changes_are_not_counted_as_reads(client, dsl_a, concern_a):
    ConcernAuditEntryFactory(concern=concern_a, user=_officer_login(), event=AuditEvent.ACTION_ADDED)

    readers = _detail(client, dsl_a, concern_a).context["readers"]

    assert [reader.who for reader in readers] == ["Dana Lead (DSL)"]


def test_the_concern_page_links_to_its_own_log(client, dsl_a, concern_a):
    text = _detail(client, dsl_a, concern_a).content.decode()

    assert f'{reverse(LOG_URL)}?concern={concern_a.pk}"' in text


def test_the_sso_does_not_see_who_has_read_the_concern(client, sso_a, shared_concern_a):
    response = _detail(client, sso_a, shared_concern_a)

    assert response.context["readers"] == []
    assert "Who has read this concern" not in response.content.decode()
    assert reverse(LOG_URL) not in response.content.decode()
