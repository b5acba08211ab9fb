"""The first implementation of ``core.suppression.suppress_together``, kept word for word as the
reference its faster replacement must agree with on every input (the tests compare the two, and
``bench/bench_search_statistics.py`` times the two against each other).

It builds the span of the shown counts anew in every round and checks every sensitive count
again each time: slow, but plainly what the rule says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

from core.suppression import SUPPRESSED, Figure, is_disclosive

_PRIME = (1 << 61) - 1  # linear algebra modulo a large prime: exact, and fast in Python integers

Support = frozenset


class _Span:
    """The space of every sum and difference of shown counts, in echelon form over the atoms.

    Each row remembers which published counts it combines, so that when a hidden count turns out
    to be one of those sums, we know which shown counts were used to reach it.
    """

    def __init__(self) -> None:
        self._rows: dict[int, tuple[dict[int, int], dict[int, int]]] = {}

    def _reduce(self, vector: dict[int, int], combination: dict[int, int]) -> tuple[dict[int, int], dict[int, int]]:
        vector = dict(vector)
        while vector:
            pivot = min(vector)
            if pivot not in self._rows:
                break
            row, row_combination = self._rows[pivot]
            factor = vector[pivot]
            for target, source in ((vector, row), (combination, row_combination)):
                for index, value in source.items():
                    updated = (target.get(index, 0) - factor * value) % _PRIME
                    if updated:
                        target[index] = updated
                    else:
                        target.pop(index, None)
        return vector, combination

    def add(self, vector: dict[int, int], cell: int) -> None:
        rest, combination = self._reduce(vector, {cell: 1})
        if rest:
            pivot = min(rest)
            inverse = pow(rest[pivot], _PRIME - 2, _PRIME)
            self._rows[pivot] = (
                {index: value * inverse % _PRIME for index, value in rest.items()},
                {index: value * inverse % _PRIME for index, value in combination.items()},
            )

    def derivation(self, vector: dict[int, int]) -> set[int] | None:
        """The shown counts whose sums and differences give ``vector``; None when none do."""
        rest, combination = self._reduce(vector, {})
        return None if rest else set(combination)


def reference_suppress_together(
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
    order: dict[Support, int] = {}
    for support in [*fixed, *published]:
        order.setdefault(frozenset(atom for atom in support if counts.get(atom, 0)), len(order))
    original = {}
    for support in [*fixed, *published]:
        original[support] = frozenset(atom for atom in support if counts.get(atom, 0))
    value = {support: sum(counts[atom] for atom in support) for support in order}
    fixed_reduced = {original[support]: figure for support, figure in fixed.items()}
    hidden = {
        support
        for support in order
        if (fixed_reduced[support] == SUPPRESSED if support in fixed_reduced else is_disclosive(value[support]))
    }
    sensitive = [support for support in order if support in hidden and is_disclosive(value[support])]
    for support in protected:
        reduced = frozenset(atom for atom in support if counts.get(atom, 0))
        if is_disclosive(sum(counts[atom] for atom in reduced)) and reduced not in order:
            sensitive.append(reduced)
    sensitive = list(dict.fromkeys(sensitive))

    # Atoms that every count covers together are one unknown to a reader: merging them is exact, and
    # keeps the algebra small (a month of a large force has far fewer such classes than searches).
    membership: dict[Hashable, list[int]] = defaultdict(list)
    for index, support in enumerate([*order, *sensitive]):
        for atom in support:
            membership[atom].append(index)
    classes: dict[tuple[int, ...], int] = {}
    atom_index = {atom: classes.setdefault(tuple(indices), len(classes)) for atom, indices in membership.items()}
    while True:
        shown = [support for support in order if support not in hidden and support]
        # Large counts first become the pivots, so a derivation leans on small counts, the cheap ones to hide.
        shown.sort(key=lambda support: (-value[support], order[support]))
        span = _Span()
        for index, support in enumerate(shown):
            span.add({atom_index[atom]: 1 for atom in support}, index)
        newly_hidden: set[Support] = set()
        for support in sensitive:
            used = span.derivation({atom_index[atom]: 1 for atom in support})
            if used is None:
                continue
            used_supports = {shown[index] for index in used}
            if used_supports & newly_hidden:
                continue  # already broken this round; checked again next round
            candidates = [s for s in used_supports if s not in fixed_reduced]
            if not candidates:
                continue  # follows from counts published elsewhere alone: nothing here can change that
            newly_hidden.add(min(candidates, key=lambda s: (value[s], order[s])))
        if not newly_hidden:
            break
        hidden |= newly_hidden
    return {support: (SUPPRESSED if original[support] in hidden else value[original[support]]) for support in original}
