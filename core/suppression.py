"""Statistical disclosure control for every figure about children that leaves the police:
search reports, open data, concern statistics and the council API.

Counts of 1 to 4 are replaced by "c" (confidential), so no child can be picked out of a
table. 0 is shown: it says nothing about any child. Anything computed from a suppressed
count (a share, a rate) is suppressed too, or the count could be worked back out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
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


# Suppression of tables offered together ("a release").
#
# Each table on its own can be safe while two of them together are not: the whole force's count
# minus the published BCUs, one month's table minus another's, a total minus the parts shown
# elsewhere. So every count a reader can get at once is described by what it counts (its
# *support*: the set of finest classes, "atoms", it adds up), and suppressed with all the others:
# a hidden count must not be worked out exactly by any sum or difference of shown counts.

_PRIME = (1 << 61) - 1  # linear algebra modulo a large prime: exact, and fast in Python integers

Support = frozenset


class _Span:
    """The space of every sum and difference of shown counts, in echelon form over the atoms.

    Each row remembers which published counts it combines, so that when a hidden count turns out
    to be one of those sums, we know which shown counts were used to reach it. Rows are only ever
    added (never changed afterwards), so the span of the first counts added is kept exactly by
    dropping the rows added after them (``truncate``).
    """

    def __init__(self) -> None:
        # pivot -> (inverse of the row's entry at its pivot, row, combination); a row is kept as
        # reduced, unscaled: scaling every entry would cost more than one product per use.
        self._rows: dict[int, tuple[int, dict[int, int], dict[int, int]]] = {}
        self._added: list[tuple[int, int]] = []  # (position, pivot), in the order the rows were added

    def _reduce(self, vector: dict[int, int], combination: dict[int, int]) -> tuple[dict[int, int], dict[int, int]]:
        rows = self._rows
        vector = dict(vector)
        while vector:
            pivot = min(vector)
            entry = rows.get(pivot)
            if entry is None:
                break
            inverse, row, row_combination = entry
            factor = vector[pivot] * inverse % _PRIME
            for target, source in ((vector, row), (combination, row_combination)):
                get = target.get
                for index, value in source.items():
                    updated = (get(index, 0) - factor * value) % _PRIME
                    if updated:
                        target[index] = updated
                    else:  # only an entry already there can cancel: factor and value are not 0
                        del target[index]
        return vector, combination

    def add(self, vector: dict[int, int], cell: int, position: int = 0) -> None:
        rest, combination = self._reduce(vector, {cell: 1})
        if rest:
            pivot = min(rest)
            self._rows[pivot] = (pow(rest[pivot], _PRIME - 2, _PRIME), rest, combination)
            self._added.append((position, pivot))

    def truncate(self, position: int) -> None:
        """Back to the span of the counts added before ``position``."""
        while self._added and self._added[-1][0] >= position:
            del self._rows[self._added.pop()[1]]

    def derivation(self, vector: dict[int, int]) -> set[int] | None:
        """The shown counts whose sums and differences give ``vector``; None when none do."""
        rest, combination = self._reduce(vector, {})
        return None if rest else set(combination)


def suppress_together(
    counts: Mapping[Hashable, int],
    published: Iterable[Support],
    *,
    protected: Iterable[Support] = (),
    fixed: Mapping[Support, Figure] | None = None,
) -> dict[Support, Figure]:
    """Suppress, as one set, every count published together: each is the sum of ``counts`` over
    its support (a frozenset of atoms, the finest classes counted).

    1. Primary: a count of 1 to 4 is hidden. 0 is shown.
    2. Secondary: while a count of 1 to 4 (hidden, or one of the ``protected`` counts that are never
       published, such as the rest of a whole beside its part) can be worked out exactly from the
       shown counts by sums and differences, the smallest shown count used to work it out is hidden
       (ties: the first published), until none can. Rules such as "a lone hidden cell beside its
       total hides the next smallest" are the simplest case of this one.

    ``fixed`` holds counts already published elsewhere with their figures (e.g. the open data):
    they stay as they are, but what is published now must not reveal their hidden counts.
    Deterministic: the same counts in the same order give the same figures. Returns the figure of
    every published (and fixed) support.
    """
    fixed = dict(fixed or {})
    nonzero: dict[Support, Support] = {}  # each support as given -> its atoms with a count

    def reduced(support: Support) -> Support:
        found = nonzero.get(support)
        if found is None:
            found = nonzero[support] = frozenset(atom for atom in support if counts.get(atom, 0))
        return found

    order: dict[Support, int] = {}
    original: dict[Support, Support] = {}
    for support in [*fixed, *published]:
        original[support] = reduced(support)
        order.setdefault(original[support], len(order))
    value = {support: sum(counts[atom] for atom in support) for support in order}
    fixed_reduced = {original[support]: figure for support, figure in fixed.items()}
    hidden = {
        support
        for support in order
        if (fixed_reduced[support] == SUPPRESSED if support in fixed_reduced else is_disclosive(value[support]))
    }
    sensitive = [support for support in order if support in hidden and is_disclosive(value[support])]
    for support in protected:
        rest = reduced(support)
        if rest not in order and is_disclosive(sum(counts[atom] for atom in rest)):
            sensitive.append(rest)
    sensitive = list(dict.fromkeys(sensitive))

    # Atoms that every count covers together are one unknown to a reader: merging them is exact, and
    # keeps the algebra small (a month of a large force has far fewer such classes than searches).
    membership: dict[Hashable, list[int]] = defaultdict(list)
    for index, support in enumerate([*order, *sensitive]):
        for atom in support:
            membership[atom].append(index)
    classes: dict[tuple[int, ...], int] = {}
    for indices in membership.values():
        classes.setdefault(tuple(indices), len(classes))
    # The classes in fewest counts come first, so they become the pivots: eliminating a pivot then
    # touches few other rows and the rows stay sparse (the figures do not depend on this order: a
    # derivation is unique over the shown counts that add to the span, whatever the elimination).
    column = {key: rank for rank, key in enumerate(sorted(classes, key=lambda key: (len(key), classes[key])))}
    atom_index = {atom: column[tuple(indices)] for atom, indices in membership.items()}
    vectors = {support: {atom_index[atom]: 1 for atom in support} for support in [*order, *sensitive]}
    by_order = {rank: support for support, rank in order.items()}

    shown = [support for support in order if support not in hidden and support]
    # Large counts first become the pivots, so a derivation leans on small counts, the cheap ones to hide.
    shown.sort(key=lambda support: (-value[support], order[support]))
    span = _Span()
    start = 0  # the span holds exactly the first ``start`` shown counts
    to_check = sensitive
    while True:
        for position in range(start, len(shown)):
            span.add(vectors[shown[position]], order[shown[position]], position)
        newly_hidden: set[Support] = set()
        still_derivable = []
        for support in to_check:
            used = span.derivation(vectors[support])
            if used is None:
                continue  # the span only shrinks from round to round: never derivable again
            used_supports = {by_order[rank] for rank in used}
            if used_supports & newly_hidden:
                still_derivable.append(support)
                continue  # already broken this round; checked again next round
            candidates = [s for s in used_supports if s not in fixed_reduced]
            if not candidates:
                # follows from counts published elsewhere alone: nothing here can change that, and
                # none of them is ever hidden, so it is derived the same way in every round
                continue
            newly_hidden.add(min(candidates, key=lambda s: (value[s], order[s])))
            still_derivable.append(support)
        if not newly_hidden:
            break
        hidden |= newly_hidden
        # The rows added before the first newly hidden count are what those counts alone give:
        # keep them, and add the rest again without the hidden ones.
        start = min(position for position, support in enumerate(shown) if support in newly_hidden)
        span.truncate(start)
        shown = shown[:start] + [support for support in shown[start:] if support not in newly_hidden]
        to_check = still_derivable
    return {support: (SUPPRESSED if original[support] in hidden else value[original[support]]) for support in original}
