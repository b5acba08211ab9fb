"""No count of 1 to 4 can be worked out from everything one reader can get at once.

A reader outside the police holds several tables for the same month: the open-data file, the
council readers' pages (the whole force and each BCU), the council API (every grouping), and for
SSO activity the tables of each month and the months over the year. Each table suppressed on its
own is not enough: the force's count minus a BCU's, a total minus the shown parts in another
table, or the months minus a period would give a hidden count back.

Here an attacker takes every published table, knows exactly which searches (or activities) each
count is about (its definition, not the records), and tries every sum and difference of the shown
counts at once (exact linear algebra over the records): no hidden count of 1 to 4 may follow, nor
the few searches of a group without an appropriate adult or a referral beside its whole, nor the
few outside a narrower population (the force minus one BCU, minus the council's schools).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from searches.models import (
    ADULT_AGE,
    AGE_BAND_STARTS,
    INTIMATE_SEARCH_TYPES,
    AgeBand,
    BodyWornVideo,
    EthnicGroup,
    SearchRecord,
    SearchType,
    SelfDefinedEthnicity,
)
from searches.open_data import open_data_rows
from tests.api.conftest import make_council
from tests.factories.officers import BCUFactory, OfficerFactory
from tests.factories.roles import council_reader
from tests.factories.schools import LocalAuthorityFactory, SchoolFactory
from tests.factories.searches import LONDON, SearchRecordFactory
from tests.factories.workspace import ActivityFactory, category
from workspace.models import Activity, ActivityDetails

OCTOBER = datetime.date(2026, 10, 1)
SEPTEMBER = datetime.date(2026, 9, 1)
C = "c"


@dataclass(frozen=True)
class Cell:
    """A published count: what it is, which records it counts (by its definition), and its figure."""

    name: str
    counts: frozenset
    figure: object


class _Span:
    """Every sum and difference (over the rationals) of the ``rows``' indicators, in echelon form.

    Exact: integer elimination, each row scaled by whole numbers (never rounded, never reduced
    modulo anything) and divided by the greatest common divisor of its entries to stay small. Built
    once, then each target is reduced against it.
    """

    def __init__(self, rows: list[frozenset]) -> None:
        self._rows: dict[int, dict[int, int]] = {}  # pivot (its smallest record) -> row
        for row in rows:
            rest = self._reduce(dict.fromkeys(row, 1))
            if rest:
                self._rows[min(rest)] = rest

    def _reduce(self, vector: dict[int, int]) -> dict[int, int]:
        while vector:
            pivot = min(vector)
            row = self._rows.get(pivot)
            if row is None:
                break  # no row has this record first, and every row's other records come later
            scale, factor = row[pivot], vector[pivot]
            vector = {record: value * scale for record, value in vector.items()}
            for record, value in row.items():
                updated = vector.get(record, 0) - factor * value
                if updated:
                    vector[record] = updated
                else:
                    vector.pop(record, None)
            divisor = math.gcd(*vector.values())
            if divisor > 1:
                vector = {record: value // divisor for record, value in vector.items()}
        return vector

    def __contains__(self, target: frozenset) -> bool:
        """True when the indicator of ``target`` is a linear combination of the rows."""
        return not self._reduce(dict.fromkeys(target, 1))


def recovered(cells: list[Cell], unpublished: list[tuple[str, frozenset]]) -> list[str]:
    """Every count of 1 to 4 (hidden, or never published) that sums and differences of the shown
    counts give back exactly. A shown 0 tells that each record it would count is absent."""
    for cell in cells:
        assert cell.figure == C or cell.figure == len(cell.counts), (cell.name, cell.figure, len(cell.counts))
    shown = list({cell.counts for cell in cells if cell.figure != C and cell.counts})
    secrets = [(cell.name, cell.counts) for cell in cells if cell.figure == C]
    secrets += unpublished
    span = _Span(shown)
    return sorted({name for name, counts in secrets if 0 < len(counts) < 5 and counts in span})


def test_the_attacker_recovers_a_count_given_back_by_sums_and_differences():
    # The force's 9 minus the north's 6 gives the south's hidden 3; with halves as coefficients,
    # (a+b) + (a+c) - (b+c) = 2a gives a hidden a. A count not in the span stays hidden.
    force, north, south = frozenset(range(9)), frozenset(range(6)), frozenset(range(6, 9))
    assert recovered([Cell("force", force, 9), Cell("north", north, 6), Cell("south", south, C)], []) == ["south"]
    a, b, c = frozenset({1, 2}), frozenset(range(3, 9)), frozenset(range(9, 15))
    halves = [Cell("a+b", a | b, 8), Cell("a+c", a | c, 8), Cell("b+c", b | c, 12), Cell("a", a, C)]
    assert recovered(halves, [("one of a", frozenset({1})), ("a and one of b", frozenset({1, 2, 3}))]) == ["a"]


# What a search count is about, by its column (the definitions a reader finds in the docs).
def _child(search) -> bool:
    return search.child_age < ADULT_AGE


def _thorough(search) -> bool:
    return _child(search) and search.search_type != SearchType.OUTER_CLOTHING


def _intimate(search) -> bool:
    return _child(search) and search.search_type in INTIMATE_SEARCH_TYPES


SEARCH_COLUMNS: dict[str, Callable] = {
    "searches": lambda s: True,
    "thorough_searches": _thorough,
    "with_appropriate_adult": lambda s: _thorough(s) and s.appropriate_adult_present,
    "intimate_searches": _intimate,
    "referrals_made": lambda s: _intimate(s) and s.referral_reference != "",
    "with_bwv": lambda s: s.body_worn_video == BodyWornVideo.RECORDED,
    "follow_ups_done": lambda s: _thorough(s) and s.follow_up_completed_on is not None,
    "reviews_done": lambda s: _thorough(s) and s.reviewed_on is not None,
}
PARTS = {"with_appropriate_adult": "thorough_searches", "referrals_made": "intimate_searches"}


def _age_band(age: int) -> str:
    return [band for band, start in AGE_BAND_STARTS if age >= start][-1]


def _broad(code: str) -> str:
    return EthnicGroup.NOT_STATED if code == SelfDefinedEthnicity.NOT_STATED else code[0]


SEARCH_KEYS: dict[str, Callable] = {
    "ethnic_group": lambda s: _broad(s.self_defined_ethnicity),
    "ethnicity": lambda s: s.self_defined_ethnicity,
    "observed_ethnic_group": lambda s: s.officer_observed_ethnicity,
    "age_band": lambda s: _age_band(s.child_age),
    "search_type": lambda s: s.search_type,
}


@dataclass
class Area:
    authority: object  # the council's local authority
    other_authority: object
    north: object  # a BCU
    south: object
    schools: dict


@pytest.fixture
def area(db):
    council = make_council()
    north, south = BCUFactory(code="NORTH"), BCUFactory(code="SOUTH")
    authority, other = council.authority, LocalAuthorityFactory()
    schools = {
        "north_ours": SchoolFactory(local_authority=authority, bcu=north),
        "south_ours": SchoolFactory(local_authority=authority, bcu=south),
        "south_theirs": SchoolFactory(local_authority=other, bcu=south),
        "north_ours_2": SchoolFactory(local_authority=authority, bcu=north),
    }
    result = Area(authority, other, north, south, schools)
    result.council = council
    return result


def _searches(area, month: datetime.date, school: str | None, bcu, count: int, **fields) -> None:
    officer = OfficerFactory(bcu=bcu)
    searched_at = datetime.datetime(month.year, month.month, 14, 11, tzinfo=LONDON)
    SearchRecordFactory.create_batch(
        count,
        officer=officer,
        school=area.schools[school] if school else None,
        location="" if school else "The bus station",
        searched_at=searched_at,
        **fields,
    )


@pytest.fixture
def searches(area):
    """Small counts everywhere: each BCU, each authority, each group, two months."""
    for month in (OCTOBER, SEPTEMBER):
        _searches(area, month, "north_ours", area.north, 7)
        _searches(
            area, month, "north_ours", area.north, 2, self_defined_ethnicity="B1", officer_observed_ethnicity="B"
        )
        _searches(
            area,
            month,
            "north_ours",
            area.north,
            3,
            search_type=SearchType.MORE_THOROUGH,
            self_defined_ethnicity="B2",
            officer_observed_ethnicity="B",
            child_age=14,
            appropriate_adult_present=True,
        )
        _searches(area, month, "north_ours", area.north, 6, search_type=SearchType.MORE_THOROUGH, child_age=16)
        _searches(
            area,
            month,
            "north_ours_2",
            area.north,
            1,
            search_type=SearchType.INTIMATE_PARTS,
            child_age=16,
            self_defined_ethnicity="A1",
            officer_observed_ethnicity="A",
            referral_reference="MASH-1",
        )
        _searches(area, month, "south_ours", area.south, 3)
        _searches(area, month, "south_ours", area.south, 6, self_defined_ethnicity="B1", child_age=13)
        _searches(area, month, "south_theirs", area.south, 5, child_age=12)
        _searches(area, month, "south_theirs", area.south, 1, child_age=19, self_defined_ethnicity="M1")
        _searches(area, month, None, area.north, 2, body_worn_video=BodyWornVideo.NOT_RECORDED)
    return list(SearchRecord.objects.select_related("bcu", "school"))


def _in_month(search, month: datetime.date) -> bool:
    return search.searched_at.astimezone(LONDON).date().replace(day=1) == month


def _ids(records, test) -> frozenset:
    return frozenset(record.pk for record in records if test(record))


def _search_table_cells(name, rows, columns, population, key_of, records) -> list[Cell]:
    """Cells of one search table (its rows then its total row), for the count columns shown."""
    cells = []
    for row in rows:
        for column in columns:
            if column not in SEARCH_COLUMNS:
                continue  # shares and rates: built on these counts
            if row["key"] == "total":
                test = lambda s, c=column: population(s) and SEARCH_COLUMNS[c](s)  # noqa: E731
            else:
                test = lambda s, c=column, k=row["key"]: population(s) and key_of(s) == k and SEARCH_COLUMNS[c](s)  # noqa: E731
            cells.append(Cell(f"{name} | {row['label']} {column}", _ids(records, test), row[column]))
    return cells


def _parts_of(cells: list[Cell]) -> list[tuple[str, frozenset]]:
    """The rest of each whole beside its part: e.g. the searches beyond outer clothing of a row
    without an appropriate adult."""
    by_name = {cell.name: cell for cell in cells}
    rest = []
    for cell in cells:
        for part, whole in PARTS.items():
            if cell.name.endswith(" " + part):
                other = by_name.get(cell.name[: -len(part)] + whole)
                if other is not None:
                    rest.append((f"{cell.name} (the rest of {whole})", other.counts - cell.counts))
    return rest


def _narrower(cells: list[Cell]) -> list[tuple[str, frozenset]]:
    """A count minus a narrower one of the same row and column (the force's minus a BCU's, minus the
    council's schools'): the few searches of that group elsewhere."""
    rest = []
    by_label: dict[str, list[Cell]] = {}
    for cell in cells:
        by_label.setdefault(cell.name.split(" | ", 1)[1], []).append(cell)
    for same in by_label.values():
        for wide in same:
            for narrow in same:
                if narrow.counts < wide.counts:
                    rest.append((f"{wide.name} minus {narrow.name}", wide.counts - narrow.counts))
    return rest


def _open_data_cells(records, month: datetime.date) -> list[Cell]:
    labels = {
        "search_type": {label: value for value, label in SearchType.choices},
        "age_band": {label: value for value, label in AgeBand.choices},
        "ethnic_group": {label: value for value, label in EthnicGroup.choices},
    }
    columns = {
        "searches": lambda s: True,
        "appropriate_adult_present": lambda s: s.appropriate_adult_present,
        "referral_made": lambda s: s.referral_reference != "",
        "body_worn_video_recorded": lambda s: s.body_worn_video == BodyWornVideo.RECORDED,
    }
    cells = []
    for row in open_data_rows(month=month):

        def in_row(s, row=row) -> bool:
            return (
                _in_month(s, month)
                and s.bcu.code == row["bcu_code"]
                and s.search_type == labels["search_type"][row["search_type"]]
                and _age_band(s.child_age) == labels["age_band"][row["age_band"]]
                and _broad(s.self_defined_ethnicity) == labels["ethnic_group"][row["self_defined_ethnic_group"]]
            )

        name = f"open-data:{row['bcu_code']}/{row['search_type']}/{row['age_band']}/{row['self_defined_ethnic_group']}"
        searches = _ids(records, in_row)
        cells.append(Cell(f"{name} searches", searches, row["searches"]))
        for column, test in columns.items():
            if column != "searches" and row[column] != "":
                counted = _ids(records, lambda s, t=test, r=in_row: r(s) and t(s))
                cells.append(Cell(f"{name} {column}", counted, row[column]))
    return cells


def _open_data_rest(cells: list[Cell]) -> list[tuple[str, frozenset]]:
    by_row: dict[str, dict[str, Cell]] = {}
    for cell in cells:
        row, column = cell.name.rsplit(" ", 1)
        by_row.setdefault(row, {})[column] = cell
    return [
        (f"{row} without {column}", columns["searches"].counts - cell.counts)
        for row, columns in by_row.items()
        for column, cell in columns.items()
        if column != "searches"
    ]


def _summary_cells(client, area, records, month: datetime.date) -> list[Cell]:
    """Every table of the council readers' search summary: the whole force and each BCU."""
    cells = []
    for bcu in (None, area.north, area.south):
        query = {"month": f"{month:%Y-%m}", **({"bcu": bcu.pk} if bcu else {})}
        response = client.get(reverse("searches:summary"), query)
        assert response.status_code == 200
        scope = bcu.code if bcu else "force"

        def population(s, bcu=bcu) -> bool:
            return _in_month(s, month) and (bcu is None or s.bcu_id == bcu.pk)

        for table in response.context["tables"]:
            group_by = table["group_by"]
            key_of = SEARCH_KEYS.get(group_by) or (lambda s: s.bcu_id)
            columns = [key for key, _ in table["columns"]]
            cells += _search_table_cells(f"{scope}:{group_by}", table["rows"], columns, population, key_of, records)
    return cells


def _api_search_cells(area, records, month: datetime.date) -> list[Cell]:
    """Every grouping of the council API's search statistics, for the council's schools."""
    cells = []
    keys = {**SEARCH_KEYS, "bcu": lambda s: s.bcu.code, "school": lambda s: s.school.urn if s.school else None}
    for group_by, key_of in keys.items():
        response = area.council.http.get(
            reverse("v1:search-statistics"), {"month": f"{month:%Y-%m}", "group_by": group_by}
        )
        assert response.status_code == 200, response.content
        body = response.json()

        def population(s) -> bool:
            return _in_month(s, month) and s.school is not None and s.school.local_authority_id == area.authority.pk

        rows = [*body["rows"], {**body["total"], "key": "total", "label": "All searches"}]
        columns = [column for column in SEARCH_COLUMNS if column in body["total"]]
        cells += _search_table_cells(f"council:{group_by}", rows, columns, population, key_of, records)
    return cells


def _month_rest(cells: list[Cell]) -> list[tuple[str, frozenset]]:
    return _parts_of(cells) + _narrower([cell for cell in cells if not cell.name.startswith("open-data:")])


def test_no_search_count_follows_from_the_council_readers_pages_and_the_open_data(client, area, searches):
    reader = council_reader()
    area.authority.council_readers.add(reader)
    client.force_login(reader)
    cells = []
    rest = []
    for month in (SEPTEMBER, OCTOBER):
        open_data = _open_data_cells(searches, month)
        summary = _summary_cells(client, area, searches, month)
        cells += open_data + summary
        rest += _month_rest(summary) + _open_data_rest(open_data)
    assert any(cell.figure == C for cell in cells), "the data must have hidden counts to attack"
    assert recovered(cells, rest) == []


def test_no_search_count_follows_from_the_council_api_with_the_pages_and_the_open_data(client, area, searches):
    reader = council_reader()
    area.authority.council_readers.add(reader)
    client.force_login(reader)
    cells = []
    rest = []
    for month in (SEPTEMBER, OCTOBER):
        open_data = _open_data_cells(searches, month)
        published = _summary_cells(client, area, searches, month) + _api_search_cells(area, searches, month)
        cells += open_data + published
        rest += _month_rest(published) + _open_data_rest(open_data)
    assert any(cell.figure == C and cell.name.startswith("council:") for cell in cells)
    assert recovered(cells, rest) == []


# SSO activity: a council reader's pages (each month, each BCU, the months over the year) and the
# council API's activity summary, for the same local authority.


@pytest.fixture
def activities(area):
    visit = category(ActivityDetails.VISIT)
    session = category(ActivityDetails.SESSION)
    support = category(ActivityDetails.SUPPORT)
    plan = [
        ("north_ours", visit, 7),
        ("north_ours", session, 2),
        ("north_ours_2", visit, 6),
        ("north_ours_2", support, 1),
        ("south_ours", visit, 3),
        ("south_ours", session, 6),
        ("south_theirs", visit, 2),
    ]
    for month in (datetime.date(2026, 8, 1), SEPTEMBER, OCTOBER):
        for school, kind, count in plan:
            ActivityFactory.create_batch(
                count, school=area.schools[school], category=kind, occurred_on=month.replace(day=9)
            )
    # One more in October: the months differ.
    ActivityFactory(school=area.schools["south_ours"], category=support, occurred_on=OCTOBER.replace(day=20))
    return list(Activity.objects.select_related("school", "school__bcu", "school__local_authority", "category"))


ACTIVITY_KEYS = {
    "Category": lambda a: a.category.name,
    "School": lambda a: a.school.urn,
    "BCU": lambda a: a.school.bcu.code if a.school.bcu else None,
    "Local authority": lambda a: a.school.local_authority.gss_code,
}


def _activity_month(a) -> datetime.date:
    return a.occurred_on.replace(day=1)


def _activity_page_cells(client, area, records, month: datetime.date) -> list[Cell]:
    cells = []
    ours = {school.pk for school in area.schools.values() if school.local_authority_id == area.authority.pk}
    for bcu in (None, area.north, area.south):
        query = {"month": f"{month:%Y-%m}", **({"bcu": bcu.pk} if bcu else {})}
        response = client.get(reverse("workspace:activity-summary"), query)
        assert response.status_code == 200
        scope = bcu.code if bcu else "all"

        def population(a, bcu=bcu) -> bool:
            return a.school_id in ours and (bcu is None or a.school.bcu_id == bcu.pk)

        window_start = (month - datetime.timedelta(days=334)).replace(day=1)
        for table in response.context["tables"]:
            for row in table["rows"]:
                if table["title"] == "Month":
                    if row["key"] == "total":  # a total over the months shown
                        test = lambda a, p=population, w=window_start: p(a) and w <= _activity_month(a) <= month  # noqa: E731
                    else:
                        m = datetime.date.fromisoformat(row["key"] + "-01")
                        test = lambda a, p=population, m=m: p(a) and _activity_month(a) == m  # noqa: E731
                elif row["key"] == "total":
                    test = lambda a, p=population: p(a) and _activity_month(a) == month  # noqa: E731
                else:
                    key_of = ACTIVITY_KEYS[table["title"]]
                    test = lambda a, p=population, k=key_of, v=row["key"]: (  # noqa: E731
                        p(a) and _activity_month(a) == month and k(a) == v
                    )
                name = f"page:{scope}:{table['title']} | {table['title']} {row['label']}"
                cells.append(Cell(name, _ids(records, test), row["activities"]))
    return cells


def _activity_api_cells(area, records, month: datetime.date) -> list[Cell]:
    cells = []
    for group_by, title in (("category", "Category"), ("school", "School"), ("local_authority", "Local authority")):
        response = area.council.http.get(
            reverse("v1:activity-summary"), {"month": f"{month:%Y-%m}", "group_by": group_by}
        )
        assert response.status_code == 200, response.content
        body = response.json()

        def population(a) -> bool:
            return a.school.local_authority_id == area.authority.pk and _activity_month(a) == month

        for row in body["rows"]:
            test = lambda a, k=ACTIVITY_KEYS[title], v=row["key"]: population(a) and k(a) == v  # noqa: E731
            cells.append(Cell(f"api:{group_by} | {title} {row['label']}", _ids(records, test), row["activities"]))
        cells.append(Cell(f"api:{group_by} | {title} All activities", _ids(records, population), body["total"]))
    return cells


def test_no_activity_count_follows_from_a_council_readers_pages_and_the_api(client, area, activities):
    reader = council_reader()
    area.authority.council_readers.add(reader)
    client.force_login(reader)
    cells = []
    for month in (SEPTEMBER, OCTOBER):
        cells += _activity_page_cells(client, area, activities, month) + _activity_api_cells(area, activities, month)
    assert any(cell.figure == C for cell in cells)
    assert recovered(cells, _narrower(cells)) == []
