"""The data protection officer's admin pages: candidates by type with counts, confirm and hold
through the actions, the rules; other staff are refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from officers.models import Posting
from retention.models import CandidateStatus, ErasureCandidate, ErasureTombstone, RecordType, RetentionRule
from retention.services import list_due_erasures
from tests.factories.officers import PostingFactory
from tests.factories.retention import ErasureCandidateFactory, ErasureTombstoneFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:retention_erasurecandidate_changelist")
CONFIRM = reverse("admin:retention_erasurecandidate_confirm")
HOLD = reverse("admin:retention_erasurecandidate_hold")


@pytest.fixture
def dpo_client(client, dpo):
    client.force_login(dpo)
    return client


@pytest.fixture
def listed_posting(db):
    posting = PostingFactory(start_date=datetime.date(2000, 9, 1), end_date=datetime.date(2001, 7, 31))
    list_due_erasures()
    return posting, ErasureCandidate.objects.get(record_type=RecordType.POSTING, object_id=posting.pk)


def _queries(client, url: str) -> list[str]:
    """The SQL a page ran, without the savepoints of the request's transaction."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_the_list_counts_candidates_by_record_type(dpo_client):
    ErasureCandidateFactory.create_batch(2, record_type=RecordType.DELIVERY)
    ErasureCandidateFactory(record_type=RecordType.POSTING, status=CandidateStatus.HELD, hold_reason="Claim.")

    counts = {c.record_type: (c.pending, c.held) for c in dpo_client.get(CHANGELIST).context["candidate_counts"]}

    assert counts[RecordType.DELIVERY] == (2, 0)
    assert counts[RecordType.POSTING] == (0, 1)
    assert counts[RecordType.CONCERN] == (0, 0)


def test_the_list_shows_type_id_and_dates_never_a_concerns_contents(dpo_client, old_concern):
    list_due_erasures()

    text = dpo_client.get(CHANGELIST).content.decode()

    assert f">{old_concern.pk}<" in text
    assert "31 Aug 2010" in text or "Aug. 31, 2010" in text
    for contents in (old_concern.pupil_reference, old_concern.description, "Phoned home", "notes.pdf"):
        assert contents not in text


def test_the_candidate_list_takes_the_same_queries_however_many_rows(dpo_client, dpo):
    ErasureCandidateFactory.create_batch(2)
    with_two = _queries(dpo_client, CHANGELIST)
    ErasureCandidateFactory.create_batch(30, status=CandidateStatus.HELD, hold_reason="Claim.", decided_by=dpo)

    assert len(_queries(dpo_client, CHANGELIST)) == len(with_two) == 10
    # 1 the session, 2 the user, 3 the session's verified second factor (MFA), 4 the counts by
    # type and status (one GROUP BY), 5 and 6 the user's own and group permissions (read once, for
    # every permission and action check), 7 the filtered count, 8 the total count, 9 the page of
    # rows with who decided (a join), 10 the session saved. The filters (choices and dates) need none.


def test_the_tombstone_list_takes_the_same_queries_however_many_rows(dpo_client, dpo):
    url = reverse("admin:retention_erasuretombstone_changelist")
    ErasureTombstoneFactory.create_batch(2, confirmed_by=dpo)
    with_two = _queries(dpo_client, url)
    ErasureTombstoneFactory.create_batch(30, confirmed_by=dpo)

    assert len(_queries(dpo_client, url)) == len(with_two) == 11
    # 1 the session, 2 the user, 3 the session's verified second factor (MFA), 4 and 5 the user's
    # own and group permissions, 6 the filtered count, 7 the total count, 8 the page of rows with
    # who confirmed (a join), 9 the date hierarchy's first and last dates, 10 its links (here the
    # days of the one month), 11 the session saved.


def test_choosing_confirm_shows_what_will_be_erased_before_anything_is(dpo_client, listed_posting):
    posting, candidate = listed_posting

    response = dpo_client.post(CHANGELIST, {"action": "confirm_erasure", "_selected_action": [candidate.pk]})

    assert response.status_code == 200
    assert "This cannot be\n    undone." in response.content.decode()
    assert Posting.objects.filter(pk=posting.pk).exists()


def test_confirming_on_the_confirmation_page_erases_and_leaves_a_tombstone(dpo_client, listed_posting):
    posting, candidate = listed_posting

    response = dpo_client.post(CONFIRM, {"candidate": [candidate.pk]})

    assert response.status_code == 302
    assert not Posting.objects.filter(pk=posting.pk).exists()
    assert ErasureTombstone.objects.filter(record_type=RecordType.POSTING, original_id=posting.pk).exists()


def test_the_confirmation_runs_outside_the_requests_transaction():
    # Each record is erased in its own transaction (services.confirm_erasures).
    assert "default" in resolve(CONFIRM).func._non_atomic_requests


def test_holding_asks_for_a_reason(dpo_client, listed_posting):
    _, candidate = listed_posting

    response = dpo_client.post(HOLD, {"candidate": [candidate.pk], "reason": ""})

    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_holding_with_a_reason_keeps_the_record(dpo_client, listed_posting):
    posting, candidate = listed_posting

    dpo_client.post(HOLD, {"candidate": [candidate.pk], "reason": "Legal hold."})
    dpo_client.post(CONFIRM, {"candidate": [candidate.pk]})

    candidate.refresh_from_db()
    assert (candidate.status, candidate.hold_reason) == (CandidateStatus.HELD, "Legal hold.")
    assert Posting.objects.filter(pk=posting.pk).exists()


def test_releasing_a_hold_puts_the_record_back_for_review(dpo_client, listed_posting):
    _, candidate = listed_posting
    dpo_client.post(HOLD, {"candidate": [candidate.pk], "reason": "Legal hold."})

    dpo_client.post(CHANGELIST, {"action": "release_hold", "_selected_action": [candidate.pk]})

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


@pytest.mark.parametrize("role", ["manager", "plain_staff", "force_lead"])
def test_other_staff_cannot_see_the_candidates(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.parametrize("role", ["manager", "plain_staff", "force_lead"])
def test_other_staff_cannot_confirm(client, request, role, listed_posting):
    posting, candidate = listed_posting
    client.force_login(request.getfixturevalue(role))

    response = client.post(CONFIRM, {"candidate": [candidate.pk]})

    assert response.status_code == 403
    assert Posting.objects.filter(pk=posting.pk).exists()


@pytest.mark.parametrize("role", ["manager", "plain_staff"])
def test_other_staff_cannot_hold(client, request, role, listed_posting):
    _, candidate = listed_posting
    client.force_login(request.getfixturevalue(role))

    response = client.post(HOLD, {"candidate": [candidate.pk], "reason": "Mine."})

    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_the_data_protection_officer_changes_a_rules_period(dpo_client):
    rule = RetentionRule.objects.get(record_type=RecordType.SEARCH_RECORD)
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])

    response = dpo_client.post(
        url, {"period_years": 2, "period_months": 6, "counts_from": rule.counts_from, "basis": "Confirmed by the DPO."}
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.period_years, rule.period_months, rule.basis) == (2, 6, "Confirmed by the DPO.")


def test_a_rule_offers_only_the_dates_its_record_type_has(dpo_client):
    rule = RetentionRule.objects.get(record_type=RecordType.CONCERN)

    form = dpo_client.get(reverse("admin:retention_retentionrule_change", args=[rule.pk])).context["adminform"].form

    assert [value for value, _ in form.fields["counts_from"].choices] == ["pupil_birth", "closure"]


def test_nobody_adds_or_deletes_a_rule_in_the_admin(dpo_client):
    rule = RetentionRule.objects.get(record_type=RecordType.CONCERN)
    assert dpo_client.get(reverse("admin:retention_retentionrule_add")).status_code == 403
    assert dpo_client.get(reverse("admin:retention_retentionrule_delete", args=[rule.pk])).status_code == 403


def test_a_bcu_manager_cannot_read_the_rules(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:retention_retentionrule_changelist")).status_code == 403


def test_a_tombstone_shows_its_dates_and_rows_readably(dpo_client, dpo):
    tombstone = ErasureTombstoneFactory(
        confirmed_by=dpo,
        key_dates={"started": "2016-09-01", "ended": "2019-07-19"},
        erased_rows={"history versions": 1},
    )

    text = dpo_client.get(reverse("admin:retention_erasuretombstone_change", args=[tombstone.pk])).content.decode()

    assert "started 1 Sep 2016; ended 19 Jul 2019" in text
    assert "history versions: 1" in text


@pytest.mark.parametrize("url", [CONFIRM, HOLD], ids=["confirm", "hold"])
def test_confirming_and_holding_take_a_post_only(dpo_client, url):
    assert dpo_client.get(url).status_code == 405


def test_the_hold_action_asks_for_the_reason_before_anything_is_held(dpo_client, listed_posting):
    _, candidate = listed_posting

    response = dpo_client.post(CHANGELIST, {"action": "hold", "_selected_action": [candidate.pk]})

    assert response.status_code == 200
    assert "reason" in response.content.decode().lower()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_the_rules_list_shows_each_period_in_words(dpo_client):
    page = dpo_client.get(reverse("admin:retention_retentionrule_changelist")).content.decode()

    assert "years" in page
