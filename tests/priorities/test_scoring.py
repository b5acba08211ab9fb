from decimal import Decimal

import pytest

from priorities.models import Band
from priorities.scoring import (
    CrimeExposureIndex,
    LsoaCrime,
    Ranked,
    mean_advice,
    percentiles,
    rank_within_groups,
    weight_in_hundredths,
)


@pytest.mark.parametrize(
    ("schools", "high", "medium"),
    [(1, 1, 0), (2, 1, 0), (5, 1, 2), (10, 2, 3), (11, 3, 3), (100, 20, 30)],
)
def test_bands_are_top_20_percent_high_next_30_percent_medium(schools, high, medium):
    bands = [Band.for_rank(rank, schools) for rank in range(1, schools + 1)]
    assert bands.count(Band.HIGH) == high
    assert bands.count(Band.MEDIUM) == medium
    assert bands == sorted(bands, key=[Band.HIGH, Band.MEDIUM, Band.LOW].index)


def test_percentile_is_the_share_of_other_values_strictly_below():
    assert percentiles([10, 0, 5, 5]) == [100.0, 0.0, pytest.approx(100 / 3), pytest.approx(100 / 3)]


def test_percentile_of_a_single_school_is_zero():
    assert percentiles([42]) == [0.0]


def test_mean_advice_of_no_advice_is_zero():
    assert mean_advice([]) == 0
    assert mean_advice([2, -1]) == Decimal("0.50")


@pytest.fixture
def index():
    return CrimeExposureIndex(
        [
            LsoaCrime("OWN", Decimal(10), 1000.0, 1000.0),
            LsoaCrime("EDGE", Decimal(5), 2000.0, 1000.0),  # exactly 1000 m east
            LsoaCrime("BEYOND", Decimal(7), 2000.1, 1000.0),
            LsoaCrime("NOWHERE", Decimal(3), None, None),
        ],
        radius_m=1000,
    )


def test_exposure_counts_lsoas_within_the_radius_including_its_edge(index):
    assert index.exposure("OWN", 1000, 1000) == (15.0, 2)


def test_own_lsoa_counts_even_without_a_located_point(index):
    assert index.exposure("NOWHERE", 1000, 1000) == (18.0, 3)


def test_school_without_coordinates_counts_its_own_lsoa_only(index):
    assert index.exposure("OWN", None, None) == (10.0, 1)


def test_exposure_is_exact_with_weights_in_hundredths():
    # In float, 0.1 + 0.2 is more than 0.3: two schools as exposed as each other would not tie.
    lsoas = [LsoaCrime("A", Decimal("0.10"), 0.0, 0.0), LsoaCrime("B", Decimal("0.20"), 10.0, 0.0)]
    index = CrimeExposureIndex([*lsoas, LsoaCrime("C", Decimal("0.30"), 5000.0, 0.0)], radius_m=100)
    assert index.exposure("A", 0, 0)[0] == index.exposure("C", 5000, 0)[0] == Decimal("0.30")


@pytest.mark.parametrize(("weight", "hundredths"), [("0.07", 7), ("1.5", 150), ("100.00", 10000), ("0", 0)])
def test_a_weight_is_summed_in_hundredths(weight, hundredths):
    assert weight_in_hundredths(Decimal(weight)) == hundredths


def test_a_weight_finer_than_a_hundredth_is_refused_rather_than_truncated():
    with pytest.raises(ValueError, match="two decimal places at most, not 0.125"):
        weight_in_hundredths(Decimal("0.125"))


def test_radius_zero_counts_the_own_lsoa_only():
    index = CrimeExposureIndex(
        [LsoaCrime("OWN", Decimal(4), 0.0, 0.0), LsoaCrime("NEXT", Decimal(9), 0.0, 0.0)], radius_m=0
    )
    assert index.exposure("OWN", 0, 0) == (4.0, 1)


def test_ranks_are_per_group_highest_total_first_ties_by_urn():
    items = [
        Ranked("a", "north", Decimal("5"), (6, "100002")),
        Ranked("b", "north", Decimal("5"), (6, "100001")),
        Ranked("c", "north", Decimal("9"), (6, "100003")),
        Ranked("d", "south", Decimal("1"), (6, "100004")),
    ]
    rank_within_groups(items)
    assert [(item.key, item.rank) for item in items] == [("a", 3), ("b", 2), ("c", 1), ("d", 1)]
