"""The priority score's arithmetic, kept free of the database so it can be read and tested alone.

Every component is put on a 0-100 scale, then multiplied by its weight in the scoring model:

- crime: the school's crime exposure (crimes in the last N months, each weighted by its
  type, in the school's own LSOA and every LSOA whose mean crime point lies within the
  radius) as a percentile among all scored schools (0 = least exposed, 100 = most);
- FSM: the percentage of pupils eligible for free school meals, as it is (missing = 0);
- pupils: the pupil count as a percentile among all scored schools (missing = 0);
- advice: the mean of the latest advice of each partner organisation (police, local
  authority), -2..+2, times 50, so -100..+100;
- coverage: 100 with a primary SSO in post, 50 with only a secondary SSO, 0 without.

The total is the sum of the rounded components. Ranks are within the school's BCU, highest
total first, ties broken by URN; bands follow ``Band.for_rank``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Band, CoverageLevel

TWO_PLACES = Decimal("0.01")
COVERAGE_SCALE = {CoverageLevel.PRIMARY: 100, CoverageLevel.SECONDARY: 50, CoverageLevel.NONE: 0}
ADVICE_SCALE = 50


@dataclass(frozen=True)
class LsoaCrime:
    code: str
    # Exact (weights have two decimal places): in float, 0.1 + 0.2 crimes would outweigh 0.3, and
    # two schools as exposed as each other could get different percentiles.
    weighted_count: Decimal
    easting: float | None
    northing: float | None


class CrimeExposureIndex:
    """Weighted crime per LSOA, with a grid over the LSOAs' points for fast radius look-ups."""

    def __init__(self, lsoas: Iterable[LsoaCrime], radius_m: float) -> None:
        self.radius = float(radius_m)
        self.by_code: dict[str, LsoaCrime] = {}
        self.cells: dict[tuple[int, int], list[LsoaCrime]] = defaultdict(list)
        for lsoa in lsoas:
            self.by_code[lsoa.code] = lsoa
            if lsoa.easting is not None and self.radius > 0:
                self.cells[self._cell(lsoa.easting, lsoa.northing)].append(lsoa)

    def _cell(self, easting: float, northing: float) -> tuple[int, int]:
        return int(easting // self.radius), int(northing // self.radius)

    def exposure(self, lsoa_code: str, easting: float | None, northing: float | None) -> tuple[Decimal, int]:
        """(weighted crimes, LSOAs counted) for a school in ``lsoa_code`` at this point."""
        counted: dict[str, Decimal] = {}
        own = self.by_code.get(lsoa_code)
        if own is not None:
            counted[own.code] = own.weighted_count
        if easting is not None and northing is not None and self.radius > 0:
            column, row = self._cell(easting, northing)
            limit = self.radius * self.radius
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for lsoa in self.cells.get((column + dx, row + dy), ()):
                        if (lsoa.easting - easting) ** 2 + (lsoa.northing - northing) ** 2 <= limit:
                            counted[lsoa.code] = lsoa.weighted_count
        return sum(counted.values(), Decimal(0)), len(counted)


def weight_in_hundredths(weight: Decimal) -> int:
    """A crime type's weight (two decimal places) in hundredths: integer sums are exact everywhere."""
    hundredths = Decimal(weight) * 100
    if hundredths != hundredths.to_integral_value():
        # Truncated, the scores would quietly differ from the weight the manager set.
        raise ValueError(f"a crime-type weight has two decimal places at most, not {weight}")
    return int(hundredths)


def percentiles(values: Sequence[float | Decimal]) -> list[float]:
    """Each value's percentile: the share of the other values strictly below it, 0-100."""
    if len(values) < 2:
        return [0.0] * len(values)
    ordered = sorted(values)
    others = len(values) - 1
    return [100.0 * bisect.bisect_left(ordered, value) / others for value in values]


def points(scaled: float, weight: Decimal) -> Decimal:
    return (Decimal(repr(scaled)) * weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean_advice(adjustments: Sequence[int]) -> Decimal:
    if not adjustments:
        return Decimal(0)
    return (Decimal(sum(adjustments)) / len(adjustments)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Ranked:
    key: object
    group: object
    total: Decimal
    tie_breaker: object
    rank: int = 0
    band: str = ""


def rank_within_groups(items: Iterable[Ranked]) -> None:
    """Set ``rank`` (1 = highest total) and ``band`` of each item within its group, in place."""
    groups: dict[object, list[Ranked]] = defaultdict(list)
    for item in items:
        groups[item.group].append(item)
    for members in groups.values():
        members.sort(key=lambda item: (-item.total, item.tie_breaker))
        for position, item in enumerate(members, start=1):
            item.rank = position
            item.band = Band.for_rank(position, len(members))
