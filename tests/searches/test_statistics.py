"""search_statistics on a small example whose every figure was worked out by hand."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from searches.models import SearchRecord, SearchType
from searches.selectors import search_statistics
from tests.factories.schools import LocalAuthorityFactory
from tests.factories.searches import IntimateSearchFactory, PupilPopulationFactory, SearchRecordFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
OCTOBER = {"date_from": datetime.date(2026, 10, 1), "date_to": datetime.date(2026, 10, 31)}


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def borough():
    """Pupils: White 4,000 (W1 3,000 + W2 1,000), Black 1,000 (B1 500 + B2 500), Asian 2,000 (A1)."""
    la = LocalAuthorityFactory()
    for code, count in [("W1", 3000), ("W2", 1000), ("B1", 500), ("B2", 500), ("A1", 2000)]:
        PupilPopulationFactory(local_authority=la, ethnicity=code, pupil_count=count)
    # An older census must be ignored in favour of the latest one.
    PupilPopulationFactory(local_authority=la, year=2025, ethnicity="W1", pupil_count=99999)
    return la


@pytest.fixture
def october_searches():
    """White 8 (W1 6, W2 2) outer clothing; Black 10 (B1 5, B2 5) more thorough, 5 with an
    appropriate adult; Asian 5 (A1) exposing intimate parts, none referred yet."""
    # Boundaries in London time: the first minute of 1 October and the last of 31 October count.
    SearchRecordFactory(self_defined_ethnicity="W1", searched_at=_at(2026, 10, 1, 0, 1))
    SearchRecordFactory(self_defined_ethnicity="W1", searched_at=_at(2026, 10, 31, 23, 59))
    SearchRecordFactory.create_batch(4, self_defined_ethnicity="W1")
    SearchRecordFactory.create_batch(2, self_defined_ethnicity="W2")
    for index in range(10):
        SearchRecordFactory(
            self_defined_ethnicity="B1" if index < 5 else "B2",
            search_type=SearchType.MORE_THOROUGH,
            appropriate_adult_present=index < 5,
            appropriate_adult_name="A. Adult" if index < 5 else "",
            appropriate_adult_role="parent" if index < 5 else "",
        )
    IntimateSearchFactory.create_batch(5, self_defined_ethnicity="A1")
    # Outside the period (London dates): the night before and the first minute after.
    SearchRecordFactory(self_defined_ethnicity="W1", searched_at=_at(2026, 9, 30, 23, 59))
    SearchRecordFactory(self_defined_ethnicity="W1", searched_at=_at(2026, 11, 1, 0, 0))


def _by_key(rows: list[dict]) -> dict:
    return {row["key"]: row for row in rows}


def test_counts_rates_and_relative_rates_by_broad_ethnic_group(borough, october_searches):
    rows = _by_key(
        search_statistics(
            records=SearchRecord.objects.all(),
            group_by="ethnic_group",
            population_local_authority_ids=[borough.pk],
            **OCTOBER,
        )
    )
    assert [rows[key]["searches"] for key in ("W", "B", "A", "M", "O", "NS", "total")] == [8, 10, 5, 0, 0, 0, 23]
    # 8 / 4,000 = 2.0 per 1,000; 10 / 1,000 = 10.0; 5 / 2,000 = 2.5; all 23 / 7,000 = 3.3.
    assert rows["W"]["rate_per_1000_pupils"] == Decimal("2.0")
    assert rows["B"]["rate_per_1000_pupils"] == Decimal("10.0")
    assert rows["A"]["rate_per_1000_pupils"] == Decimal("2.5")
    assert rows["total"]["rate_per_1000_pupils"] == Decimal("3.3")
    # Relative to White: 10.0 / 2.0 = 5.00; 2.5 / 2.0 = 1.25.
    assert rows["W"]["relative_rate_vs_white"] == Decimal("1.00")
    assert rows["B"]["relative_rate_vs_white"] == Decimal("5.00")
    assert rows["A"]["relative_rate_vs_white"] == Decimal("1.25")
    # No Mixed pupils on the census: no rate rather than a division by zero.
    assert rows["M"]["rate_per_1000_pupils"] is None
    # Shares of all 23 searches: 8/23 = 34.8%, 10/23 = 43.5%, 5/23 = 21.7%.
    assert [rows[key]["share_of_searches_pct"] for key in ("W", "B", "A")] == [
        Decimal("34.8"),
        Decimal("43.5"),
        Decimal("21.7"),
    ]


def test_appropriate_adult_and_referral_shares(october_searches):
    rows = _by_key(search_statistics(records=SearchRecord.objects.all(), group_by="ethnic_group", **OCTOBER))
    assert rows["B"]["thorough_searches"] == 10
    assert rows["B"]["with_appropriate_adult"] == 5
    assert rows["B"]["appropriate_adult_pct"] == Decimal("50.0")
    assert rows["A"]["appropriate_adult_pct"] == Decimal("100.0")
    assert rows["A"]["intimate_searches"] == 5
    assert rows["A"]["referral_pct"] == Decimal("0.0")
    # Overall 10 of the 15 searches beyond outer clothing had an adult: 66.7%.
    assert rows["total"]["with_appropriate_adult"] == 10
    assert rows["total"]["appropriate_adult_pct"] == Decimal("66.7")


def test_a_share_that_would_reveal_a_few_children_without_an_adult_is_hidden():
    SearchRecordFactory.create_batch(6, search_type=SearchType.MORE_THOROUGH)
    SearchRecordFactory.create_batch(
        2,
        search_type=SearchType.MORE_THOROUGH,
        appropriate_adult_present=True,
        appropriate_adult_name="A. Adult",
        appropriate_adult_role="parent",
    )
    rows = _by_key(search_statistics(records=SearchRecord.objects.all(), group_by="search_type", **OCTOBER))
    assert rows["more_thorough"]["thorough_searches"] == 8
    assert rows["more_thorough"]["with_appropriate_adult"] == "c"
    assert rows["more_thorough"]["appropriate_adult_pct"] == "c"


def test_no_rates_without_a_population_scope(borough, october_searches):
    rows = search_statistics(records=SearchRecord.objects.all(), group_by="ethnic_group", **OCTOBER)
    assert {row["rate_per_1000_pupils"] for row in rows} == {None}
    assert {row["relative_rate_vs_white"] for row in rows} == {None}


def test_no_rates_when_an_authority_in_scope_has_no_census(borough, october_searches):
    rows = search_statistics(
        records=SearchRecord.objects.all(),
        group_by="ethnic_group",
        population_local_authority_ids=[borough.pk, LocalAuthorityFactory().pk],
        **OCTOBER,
    )
    assert {row["rate_per_1000_pupils"] for row in rows} == {None}


def test_detailed_ethnicity_suppresses_small_cells_and_compares_with_all_white_children(borough, october_searches):
    rows = _by_key(
        search_statistics(
            records=SearchRecord.objects.all(),
            group_by="ethnicity",
            population_local_authority_ids=[borough.pk],
            **OCTOBER,
        )
    )
    # W2 has 2 searches: hidden. It is the only small cell, so the smallest other (A1, 5) goes too.
    assert rows["W2"]["searches"] == "c"
    assert rows["A1"]["searches"] == "c"
    assert rows["W2"]["rate_per_1000_pupils"] == "c"
    assert rows["A1"]["share_of_searches_pct"] == "c"
    assert rows["W1"]["searches"] == 6
    # W1: 6 / 3,000 = 2.0 per 1,000 against all White 8 / 4,000 = 2.0: 1.00. B1: 5 / 500 = 10.0: 5.00.
    assert rows["W1"]["relative_rate_vs_white"] == Decimal("1.00")
    assert rows["B1"]["relative_rate_vs_white"] == Decimal("5.00")
    assert rows["total"]["searches"] == 23
    # All 23 searches over all 7,000 pupils, as in the broad table: 3.3 per 1,000.
    assert rows["total"]["rate_per_1000_pupils"] == Decimal("3.3")


def test_age_band_boundaries():
    for age in (9, 10, 12, 13, 15, 16, 17, 18):
        SearchRecordFactory.create_batch(5, child_age=age)
    rows = _by_key(search_statistics(records=SearchRecord.objects.all(), group_by="age_band", **OCTOBER))
    assert [rows[key]["searches"] for key in ("under_10", "10_12", "13_15", "16_17", "18_plus")] == [5, 10, 10, 10, 5]


def test_grouping_by_bcu_shows_only_bcus_with_searches_labelled_by_name():
    SearchRecordFactory.create_batch(5, officer__bcu__name="Zeta BCU", officer__bcu__code="Z")
    SearchRecordFactory.create_batch(6, officer__bcu__name="Alpha BCU", officer__bcu__code="A")
    rows = search_statistics(records=SearchRecord.objects.all(), group_by="bcu", **OCTOBER)
    assert [(row["label"], row["searches"]) for row in rows] == [
        ("Alpha BCU", 6),
        ("Zeta BCU", 5),
        ("All searches", 11),
    ]


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="group_by"):
        search_statistics(records=SearchRecord.objects.all(), group_by="postcode", **OCTOBER)


# The grouped counts, plus the pupil census for ethnicity groupings.
@pytest.mark.parametrize(("group_by", "queries"), [("ethnic_group", 2), ("school", 1), ("officer", 1)])
def test_statistics_take_the_same_queries_however_many_records(django_assert_num_queries, borough, group_by, queries):
    SearchRecordFactory.create_batch(3)
    with django_assert_num_queries(queries):
        search_statistics(
            records=SearchRecord.objects.all(),
            group_by=group_by,
            population_local_authority_ids=[borough.pk],
            **OCTOBER,
        )
    SearchRecordFactory.create_batch(20)
    with django_assert_num_queries(queries):
        search_statistics(
            records=SearchRecord.objects.all(),
            group_by=group_by,
            population_local_authority_ids=[borough.pk],
            **OCTOBER,
        )


def test_body_worn_video_follow_up_and_review_rates_are_in_every_row():
    searched = datetime.datetime(2026, 10, 14, 11, 30, tzinfo=ZoneInfo("Europe/London"))
    IntimateSearchFactory.create_batch(
        6,
        searched_at=searched,
        follow_up_completed_on=datetime.date(2026, 10, 20),
        follow_up_offered="Meeting",
        follow_up_outcome="Accepted",
    )
    IntimateSearchFactory.create_batch(
        6,
        searched_at=searched,
        body_worn_video="not_recorded",
        body_worn_video_reason="Camera failed.",
        reviewed_on=datetime.date(2026, 10, 16),
        reviewed_by_name="Insp. Pike",
        reviewed_by_rank="insp",
    )
    [*_, total] = search_statistics(
        records=SearchRecord.objects.all(),
        date_from=datetime.date(2026, 10, 1),
        date_to=datetime.date(2026, 10, 31),
        group_by="search_type",
    )
    assert (total["with_bwv"], total["bwv_pct"]) == (6, Decimal("50.0"))
    assert (total["follow_ups_done"], total["follow_up_pct"]) == (6, Decimal("50.0"))
    assert (total["reviews_done"], total["review_pct"]) == (6, Decimal("50.0"))
