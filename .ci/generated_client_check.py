"""A council system's sync, written against the client openapi-python-client generates from the
committed schema, and nothing else (no HTTP code, no JSON handling): run by .ci/generated-client.

  initial: page every endpoint; a 404 and a 429 come back as typed errors; read the change feed
           from its start into a store, which must equal a full read; keep store and cursor.
  after:   (after changes on the portal, and the nightly run of date-driven changes) read the
           feed from the stored cursor, reading again the statistics it names; the store must
           again equal a full read, and the feed must have carried the changes made.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from sso_portal_api_client import AuthenticatedClient
from sso_portal_api_client.api.v1 import (
    v1_activity_summary_retrieve,
    v1_changes_retrieve,
    v1_concern_statistics_list,
    v1_dsl_contacts_list,
    v1_dsl_contacts_retrieve,
    v1_postings_list,
    v1_postings_retrieve,
    v1_schools_list,
    v1_schools_retrieve,
    v1_search_statistics_retrieve,
    v1_training_compliance_list,
)
from sso_portal_api_client.models import (
    ActivitySummary,
    ChangesPage,
    Error,
    SearchStatistics,
    V1ActivitySummaryRetrieveGroupBy,
    V1SearchStatisticsRetrieveGroupBy,
)
from sso_portal_api_client.types import UNSET

Store = dict[str, dict[str, dict]]
# Change types that name statistics to read again rather than carry a record.
STATISTICS = {"search_statistics", "concern_statistics", "activity_summary"}


def fail(message: str) -> None:
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def expect(result, kind):
    """A typed success, or stop with the typed error."""
    if isinstance(result, Error):
        fail(f"{result.status} {result.code}: {result.detail} {result.errors.to_dict()}")
    if not isinstance(result, kind):
        fail(f"expected {kind.__name__}, got {result!r}")
    return result


def every_page(operation, client, **params) -> list:
    rows, page = [], 1
    while page is not None:
        result = operation.sync(client=client, page=page, page_size=500, **params)
        if isinstance(result, Error) or result is None:
            fail(f"{operation.__name__} page {page}: {result}")
        rows += result.results
        page = result.next_page
    return rows


def full_read(client) -> Store:
    """Every endpoint, every page: the records a sync must end with."""
    schools = every_page(v1_schools_list, client)
    postings = every_page(v1_postings_list, client)
    contacts = every_page(v1_dsl_contacts_list, client)
    compliance = every_page(v1_training_compliance_list, client)
    concerns = every_page(v1_concern_statistics_list, client)
    if not (schools and postings and contacts and compliance and concerns):
        fail("the demo client should see schools, postings, contacts, compliance and concern statistics")
    for group_by in V1SearchStatisticsRetrieveGroupBy:
        figures = v1_search_statistics_retrieve.sync(
            client=client,
            # The last month that is over: figures are published for whole months only.
            month=f"{datetime.date.today().replace(day=1) - datetime.timedelta(days=1):%Y-%m}",
            group_by=group_by,
        )
        if isinstance(figures, Error) or figures is None:
            fail(f"search statistics by {group_by.value}: {figures}")
    # One detail of each kind, as a client looks a record up.
    v1_schools_retrieve.sync(schools[0].urn, client=client)
    v1_postings_retrieve.sync(postings[0].id, client=client)
    v1_dsl_contacts_retrieve.sync(contacts[0].id, client=client)
    return {
        "school": {row.urn: row.to_dict() for row in schools},
        "posting": {str(row.id): row.to_dict() for row in postings},
        "dsl_contact": {str(row.id): row.to_dict() for row in contacts},
        "training_compliance": {row.collar_number: row.to_dict() for row in compliance},
        # The statistics this system keeps: every school's concern figures, all time.
        "concern_statistics": {row.urn: row.to_dict() for row in concerns},
    }


def sync(client, store: Store, cursor: str | None) -> tuple[str, list]:
    """Apply the change feed from ``cursor`` to ``store``, then read again the statistics it named;
    returns the new cursor and the changes."""
    seen, stale = [], set()
    while True:
        page = expect(v1_changes_retrieve.sync(client=client, since=cursor or UNSET, limit=500), ChangesPage)
        for change in page.changes:
            kind = change.type_.value  # ChangeTypeEnum
            seen.append((kind, change.id, change.deleted))
            body = getattr(change, kind)
            if kind in STATISTICS:
                stale.add((kind, body.local_authority, body.date_from, body.date_to))
            elif change.deleted:
                store.setdefault(kind, {}).pop(change.id, None)
            else:
                store.setdefault(kind, {})[change.id] = body.to_dict()
        cursor = page.cursor
        if not page.has_more:
            break
    for refresh in sorted(stale, key=str):
        reread_statistics(client, store, *refresh)
    return cursor, seen


def months(date_from: datetime.date, date_to: datetime.date) -> list[datetime.date]:
    first, result = date_from.replace(day=1), []
    while first <= date_to:
        result.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return result


def reread_statistics(client, store: Store, kind: str, local_authority: str, date_from, date_to) -> None:
    """Read again what a statistics refresh names. Concern figures are kept (all time, so any
    period's change changes them); search and activity figures are read for the months named,
    as a system keeping them by month would."""
    if kind == "concern_statistics":
        kept = store.setdefault("concern_statistics", {})
        for row in every_page(v1_concern_statistics_list, client, local_authority=local_authority):
            kept[row.urn] = row.to_dict()
        return
    if date_from is None:  # an authority granted or withdrawn: every period this system keeps
        date_from, date_to = datetime.date.today() - datetime.timedelta(days=365), datetime.date.today()
    # Figures are published for whole months that are over; the current month is read once it is.
    this_month = datetime.date.today().replace(day=1)
    for month in (month for month in months(date_from, date_to) if month < this_month):
        if kind == "search_statistics":
            for group_by in V1SearchStatisticsRetrieveGroupBy:
                result = v1_search_statistics_retrieve.sync(client=client, month=f"{month:%Y-%m}", group_by=group_by)
                expect(result, SearchStatistics)
        else:
            result = v1_activity_summary_retrieve.sync(
                client=client, month=f"{month:%Y-%m}", group_by=V1ActivitySummaryRetrieveGroupBy.SCHOOL
            )
            expect(result, ActivitySummary)


def typed_errors(client, throttled_client) -> None:
    missing = v1_schools_retrieve.sync("99999999", client=client)
    if not (isinstance(missing, Error) and missing.status == 404 and missing.code == "not_found"):
        fail(f"a school that is not there should be a typed 404, not {missing!r}")
    for _ in range(10):
        response = v1_schools_list.sync_detailed(client=throttled_client, page_size=1)
        if isinstance(response.parsed, Error) and response.parsed.code == "throttled":
            if int(response.headers["Retry-After"]) < 1:
                fail("a 429 should say how long to wait")
            return
    fail("ten requests at 3 a minute should have been throttled with a typed 429")


def compare(store: Store, full: Store) -> None:
    for kind in full:
        if store.get(kind, {}) != full[kind]:
            only_feed = sorted(set(store.get(kind, {})) - set(full[kind]))
            only_full = sorted(set(full[kind]) - set(store.get(kind, {})))
            changed = sorted(k for k in set(full[kind]) & set(store.get(kind, {})) if full[kind][k] != store[kind][k])
            fail(f"{kind}: only in the synced copy {only_feed}, only in the full read {only_full}, differ {changed}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["initial", "after"])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--throttled-base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--expired-collar", help="An officer whose course the date alone expired (after).")
    args = parser.parse_args()
    client = AuthenticatedClient(base_url=args.base_url, token=args.token, raise_on_unexpected_status=True)

    if args.phase == "initial":
        typed_errors(client, AuthenticatedClient(base_url=args.throttled_base_url, token=args.token))
        store: Store = {}
        cursor, seen = sync(client, store, None)
        full = full_read(client)
        # The statistics are read once at the start (the feed names only what changes after).
        store["concern_statistics"] = full["concern_statistics"]
        compare(store, full)
        args.state.write_text(json.dumps({"cursor": cursor, "store": store}))
        print(f"initial sync: {len(seen)} changes, {sum(map(len, store.values()))} records; equal to a full read")
        return

    state = json.loads(args.state.read_text())
    store, cursor = state["store"], state["cursor"]
    cursor, seen = sync(client, store, cursor)
    kinds = {(kind, deleted) for kind, _, deleted in seen}
    schools_changed = {key for kind, key, _ in seen if kind == "school"}
    if schools_changed != set(store["school"]):
        fail("the recompute should have been a change of every school")
    for expected in [("posting", False), ("dsl_contact", True), ("concern_statistics", False)]:
        if expected not in kinds:
            fail(f"the feed should have carried a {expected[0]} change (deleted={expected[1]})")
    expired = [
        key
        for key, row in store["training_compliance"].items()
        if any(course["status"] == "expired" for course in row["courses"])
    ]
    if args.expired_collar and args.expired_collar not in expired:
        fail(f"the nightly run should have carried {args.expired_collar}'s expired course")
    compare(store, full_read(client))
    print(f"sync after the changes: {len(seen)} changes; equal to a full read")


if __name__ == "__main__":
    main()
