"""The change feed: what it records, who sees which change, its cursor, and that syncing from it
ends with the same data as a full read."""

import datetime
from pathlib import Path

import pytest
from django.db import connection

from api.changes import encode_cursor, seal_changes
from api.models import STATISTICS_KINDS, Change, Scope
from tests.factories.officers import PostingFactory, TrainingRecordFactory
from tests.factories.schools import DSLContactFactory, LocalAuthorityFactory, SchoolFactory

from .conftest import make_council
from .test_school_priorities import make_run, make_score

pytestmark = pytest.mark.django_db

URL = "/api/v1/changes/"


def read_all(council, since=None, limit=100) -> tuple[list[dict], str]:
    """Every change after ``since``, following the cursor; and the last cursor."""
    changes, params = [], {"limit": limit} | ({"since": since} if since else {})
    while True:
        response = council.http.get(URL, params)
        assert response.status_code == 200, response.content
        body = response.json()
        changes += body["changes"]
        params["since"] = body["cursor"]
        if not body["has_more"]:
            return changes, body["cursor"]


def keyed(changes) -> list[tuple[str, str, bool]]:
    return [(change["type"], change["id"], change["deleted"]) for change in changes]


def of_records(changes) -> list[dict]:
    """The changes of records, without the statistics refreshes (a grant brings those too)."""
    return [change for change in changes if change["type"] not in STATISTICS_KINDS]


def test_a_school_change_comes_with_the_school_as_it_is_now(council):
    _, cursor = read_all(council)
    school = SchoolFactory(local_authority=council.authority)
    school.name = "Renamed Primary"
    school.save()
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [("school", school.urn, False)] * 2
    assert {change["school"]["name"] for change in changes} == {"Renamed Primary"}
    assert changes[0]["posting"] is None


def test_a_priority_run_is_a_change_of_every_school(council):
    first, second = SchoolFactory.create_batch(2, local_authority=council.authority)
    _, cursor = read_all(council)
    run = make_run()
    make_score(run, first, band="high", total="80")
    changes, _ = read_all(council, cursor)
    by_urn = {change["id"]: change["school"] for change in changes}
    assert set(by_urn) == {first.urn, second.urn}
    assert by_urn[first.urn]["priority"]["band"] == "high"
    assert by_urn[second.urn]["priority"] is None


def test_an_ended_posting_changes_the_posting_its_school_and_its_officers_compliance(council):
    posting = PostingFactory(school__local_authority=council.authority, start_date=datetime.date(2025, 9, 1))
    _, cursor = read_all(council)
    posting.end_date = datetime.date(2025, 12, 31)
    posting.save()
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [
        ("posting", str(posting.pk), False),
        ("school", posting.school.urn, False),
        # no longer posted to the client's schools today: the officer is out of its compliance list
        ("training_compliance", posting.officer.collar_number, True),
    ]
    assert changes[0]["posting"]["end_date"] == "2025-12-31"
    assert changes[1]["school"]["current_postings"] == []


def test_a_removed_dsl_contact_is_a_deletion_marker(council):
    contact = DSLContactFactory(school__local_authority=council.authority)
    contact_id = contact.pk
    _, cursor = read_all(council)
    contact.delete()
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [("dsl_contact", str(contact_id), True)]
    assert changes[0]["dsl_contact"] is None


def test_a_training_record_changes_the_officers_compliance(council):
    posting = PostingFactory(school__local_authority=council.authority)
    _, cursor = read_all(council)
    TrainingRecordFactory(officer=posting.officer)
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [("training_compliance", posting.officer.collar_number, False)]


def test_changes_in_another_authority_are_not_seen(council, other_council):
    _, cursor = read_all(council)
    SchoolFactory(local_authority=other_council.authority)
    assert read_all(council, cursor)[0] == []


def test_changes_of_a_kind_outside_the_clients_scopes_are_not_seen():
    council = make_council(scopes=[Scope.SCHOOLS_READ])
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    DSLContactFactory(school=school)
    assert keyed(read_all(council, cursor)[0]) == []


def test_losing_a_grant_gives_deletion_markers_for_its_records(council):
    school = SchoolFactory(local_authority=council.authority)
    contact = DSLContactFactory(school=school)
    _, cursor = read_all(council)
    council.client.local_authorities.remove(council.authority)
    council.client.local_authorities.add(LocalAuthorityFactory())
    changes, _ = read_all(council, cursor)
    assert ("school", school.urn, True) in keyed(changes)
    assert ("dsl_contact", str(contact.pk), True) in keyed(changes)
    assert all(change["deleted"] for change in of_records(changes))


def test_gaining_a_grant_brings_its_records(council):
    authority = LocalAuthorityFactory()
    school = SchoolFactory(local_authority=authority)
    _, cursor = read_all(council)
    council.client.local_authorities.add(authority)
    changes, _ = read_all(council, cursor)
    assert keyed(of_records(changes)) == [("school", school.urn, False)]


def test_the_cursor_pages_without_repeating_or_skipping(council):
    schools = SchoolFactory.create_batch(5, local_authority=council.authority)
    changes, _ = read_all(council, limit=2)
    assert [change["id"] for change in of_records(changes)] == [school.urn for school in schools]


def test_a_change_committed_after_a_later_one_was_read_still_comes(council):
    # A change whose entry was written first (lower id) but committed after a later one was
    # read: it is sealed with a higher position, so the cursor has not passed it.
    late, early = SchoolFactory.create_batch(2, local_authority=council.authority)
    _, cursor = read_all(council)
    Change.objects.create(
        kind="school", object_id=early.pk, public_id=early.urn, local_authority_id=early.local_authority_id
    )
    seal_changes()
    read_early, cursor = read_all(council, cursor)
    lowest_id = Change.objects.order_by("id").first().pk
    Change.objects.filter(pk=lowest_id).delete()  # free a low id for the late writer
    Change.objects.create(
        id=lowest_id, kind="school", object_id=late.pk, public_id=late.urn, local_authority_id=late.local_authority_id
    )
    read_late, _ = read_all(council, cursor)
    assert [change["id"] for change in read_early] == [early.urn]
    assert [change["id"] for change in read_late] == [late.urn]


@pytest.mark.parametrize("since", ["12", "c1.!!", "c1.LTE", encode_cursor(5) + "x"])
def test_a_cursor_the_feed_did_not_give_is_400(council, since):
    response = council.http.get(URL, {"since": since})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["since"]


def test_the_feed_from_its_start_ends_with_the_same_data_as_a_full_read(council):
    for school in SchoolFactory.create_batch(3, local_authority=council.authority):
        PostingFactory(school=school)
        DSLContactFactory(school=school)
    doomed = DSLContactFactory(school__local_authority=council.authority)
    store: dict[tuple[str, str], dict] = {}
    changes, cursor = read_all(council)
    doomed.delete()
    more, _ = read_all(council, cursor)
    for change in of_records(changes + more):
        if change["deleted"]:
            store.pop((change["type"], change["id"]), None)
        else:
            store[(change["type"], change["id"])] = change[change["type"]]
    full = (
        {("school", row["urn"]): row for row in council.http.get("/api/v1/schools/").json()["results"]}
        | {("posting", str(row["id"])): row for row in council.http.get("/api/v1/postings/").json()["results"]}
        | {("dsl_contact", str(row["id"])): row for row in council.http.get("/api/v1/dsl-contacts/").json()["results"]}
        | {
            ("training_compliance", row["collar_number"]): row
            for row in council.http.get("/api/v1/training-compliance/").json()["results"]
        }
    )
    assert store == full


def test_a_client_with_no_feed_scope_is_403():
    council = make_council(scopes=[])
    assert council.http.get(URL).status_code == 403


def test_the_feed_runs_a_fixed_number_of_queries(council, django_assert_num_queries):
    for school in SchoolFactory.create_batch(3, local_authority=council.authority):
        PostingFactory(school=school)
        DSLContactFactory(school=school)
    read_all(council)  # sealed once
    with django_assert_num_queries(18 + (connection.vendor == "postgresql")):
        # the request's savepoint and release (2); the token with its client (1); sealing: its
        # savepoint and release (2), the advisory lock (PostgreSQL only), the last position (1),
        # unsealed ids, none (1); the granted authorities (1); the page of
        # changes (1); schools: the visible ids, the latest run, their rows, their current
        # postings (4); postings (1); DSL contacts (1); compliance: courses, officers, records (3)
        council.http.get(URL, {"limit": 500})


def test_a_school_register_import_is_a_change_of_each_school_it_wrote(db):
    from priorities.services import import_gias_file
    from schools.models import School

    import_gias_file(path=Path(__file__).resolve().parents[1] / "priorities" / "data" / "edubasealldata20260901.csv")
    urns = set(School.objects.values_list("urn", flat=True))
    assert urns
    assert set(Change.objects.filter(kind="school").values_list("public_id", flat=True)) == urns


def test_an_officer_renamed_changes_their_compliance_postings_and_schools(council):
    posting = PostingFactory(school__local_authority=council.authority)
    _, cursor = read_all(council)
    officer = posting.officer
    officer.last_name = "Renamed"
    officer.save()
    changes, _ = read_all(council, cursor)
    assert keyed(changes) == [
        ("training_compliance", officer.collar_number, False),
        ("posting", str(posting.pk), False),
        ("school", posting.school.urn, False),
    ]
    assert changes[1]["posting"]["officer_name"].endswith("Renamed")


def test_clearing_a_clients_grants_gives_deletion_markers(council):
    school = SchoolFactory(local_authority=council.authority)
    _, cursor = read_all(council)
    council.client.local_authorities.clear()
    assert keyed(of_records(read_all(council, cursor)[0])) == [("school", school.urn, True)]
