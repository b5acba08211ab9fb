"""Statistical disclosure control for every figure about children that leaves the police:
search reports, open data, concern statistics and the council API.

Counts of 1 to 4 are replaced by "c" (confidential), so no child can be picked out of a
table. 0 is shown: it says nothing about any child. Anything computed from a suppressed
count (a share, a rate) is suppressed too, or the count could be worked back out.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

SUPPRESSED = "c"
SMALLEST_SHOWN = 5

Figure = int | str  # a count, or SUPPRESSED


def is_disclosive(count: int) -> bool:
    """True for the small counts (1 to 4) that could identify a child."""
    return 0 < count < SMALLEST_SHOWN


def suppress(count: int) -> int | str:
    """The count as it may be published: "c" for 1 to 4, otherwise the count itself (0 included)."""
    return SUPPRESSED if is_disclosive(count) else count


def suppress_part(part: int, whole: Figure) -> Figure:
    """A count published beside the whole it is part of (e.g. searches with an appropriate adult
    of all searches): "c" when it, or the rest of the whole, is 1 to 4 (either picks out a few
    children), or when the whole is itself hidden; otherwise the count."""
    if whole == SUPPRESSED or is_disclosive(part) or is_disclosive(whole - part):
        return SUPPRESSED
    return part


def suppress_column(
    counts: Sequence[int],
    total: int,
    *,
    wholes: Sequence[int] | None = None,
    whole_total: int | None = None,
) -> tuple[list[Figure], Figure]:
    """Suppress one column of a table published together with its total.

    Primary suppression hides each count of 1 to 4. When the column counts a part of another
    published column (``wholes``, e.g. "with an appropriate adult" of "searches"), a count is
    also hidden when ``whole - count`` is 1 to 4, which would reveal the few children without.
    When exactly one cell is then hidden and the total is shown, that cell could be recovered
    by subtraction, so the smallest other non-zero cell is hidden as well (secondary suppression).
    """

    def shown_as(count: int, whole: int | None) -> Figure:
        return suppress(count) if whole is None else suppress_part(count, whole)

    wholes = list(wholes) if wholes is not None else [None] * len(counts)
    shown: list[Figure] = [shown_as(count, whole) for count, whole in zip(counts, wholes, strict=True)]
    shown_total: Figure = shown_as(total, whole_total)
    hidden_cells = [index for index, figure in enumerate(shown) if figure == SUPPRESSED]
    if len(hidden_cells) == 1 and shown_total != SUPPRESSED:
        candidates = [index for index, count in enumerate(counts) if count > 0 and index not in hidden_cells]
        if candidates:
            shown[min(candidates, key=lambda index: (counts[index], index))] = SUPPRESSED
    return shown, shown_total


def _round(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percentage(part: Figure, whole: Figure, *, protect_complement: bool = False) -> Decimal | str | None:
    """``part`` as a percentage of ``whole`` to one decimal place; None when ``whole`` is 0.

    With ``protect_complement`` the percentage is also suppressed when ``whole - part`` is
    1 to 4 (e.g. "95% had an appropriate adult" of 20 would reveal the one child who did not).
    """
    if SUPPRESSED in (part, whole):
        return SUPPRESSED
    if whole == 0:
        return None
    if protect_complement and is_disclosive(whole - part):
        return SUPPRESSED
    return _round(Decimal(part) * 100 / Decimal(whole), "0.1")


def rate_per_thousand(searches: Figure, population: int | None) -> Decimal | str | None:
    """Searches per 1,000 pupils, one decimal place; None without a population."""
    if searches == SUPPRESSED:
        return SUPPRESSED
    if not population:
        return None
    return _round(Decimal(searches) * 1000 / Decimal(population), "0.1")


def relative_rate(
    searches: Figure, population: int | None, reference_searches: Figure, reference_population: int | None
) -> Decimal | str | None:
    """How many times the reference group's rate this group's rate is (two decimal places).

    Computed from exact counts (not the rounded rates). None when either population is
    missing or the reference group had no searches; "c" when either count is suppressed.
    """
    if SUPPRESSED in (searches, reference_searches):
        return SUPPRESSED
    if not population or not reference_population or reference_searches == 0:
        return None
    ratio = (Decimal(searches) / Decimal(population)) / (Decimal(reference_searches) / Decimal(reference_population))
    return _round(ratio, "0.01")
