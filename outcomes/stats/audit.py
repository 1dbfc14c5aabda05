"""The attacker's bounds, computed the way an attacker works (docs/adr/0031): every count is a
non-negative integer, every published count and every relation of the release holds, and for
each hidden cell the smallest and the largest value those allow are found with a solver
(HiGHS through scipy: a linear programme, then an integer one where its optimum is
fractional). `widen` adds complementary suppressions until every hidden cell's interval is
at least the threshold wide; hiding more only removes constraints, so an interval once wide
enough stays so and every cell is settled once."""

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array

from outcomes.stats import suppression
from outcomes.stats.suppression import THRESHOLD_FLOOR, Cell, Release, equations

UNBOUNDED = float("inf")


class _Problem:
    """The relations with the published counts filled in: rows over the hidden cells only."""

    def __init__(
        self, rows: Sequence[Mapping[Cell, int]], counts: Mapping[Cell, int], hidden: set[Cell]
    ) -> None:
        self.cells = sorted(hidden, key=lambda c: (len(c), sorted(c)))
        index = {cell: n for n, cell in enumerate(self.cells)}
        data, row_ids, col_ids, constants = [], [], [], []
        for row in rows:
            if not any(cell in hidden for cell in row):
                continue
            number = len(constants)
            for cell, coefficient in row.items():
                if cell in hidden:
                    data.append(coefficient)
                    row_ids.append(number)
                    col_ids.append(index[cell])
            constants.append(
                -sum(c * counts[cell] for cell, c in row.items() if cell not in hidden)
            )
        shape = (max(len(constants), 1), max(len(self.cells), 1))
        self.matrix = coo_array((data, (row_ids, col_ids)), shape=shape).tocsr()
        self.constants = np.array(constants or [0], dtype=float)
        self.index = index

    def extreme(self, cell: Cell, sign: int) -> float:
        """The least (sign 1) or, negated, the greatest (sign -1) integer value of `cell`."""
        objective = np.zeros(len(self.cells))
        objective[self.index[cell]] = sign
        result = linprog(
            objective, A_eq=self.matrix, b_eq=self.constants, bounds=(0, None), method="highs"
        )
        if result.status == 3:  # unbounded: no published figure limits it
            return -UNBOUNDED
        if result.status != 0:
            raise RuntimeError(f"the published figures are inconsistent: {result.message}")
        if np.allclose(result.x, np.round(result.x), atol=1e-7):
            return float(round(result.fun))
        exact = milp(
            objective,
            constraints=LinearConstraint(self.matrix, self.constants, self.constants),
            integrality=np.ones(len(self.cells)),
            bounds=Bounds(0, np.inf),
        )
        if exact.status != 0:
            raise RuntimeError(f"no integer bound: {exact.message}")
        return float(round(exact.fun))

    def interval(self, cell: Cell) -> tuple[float, float]:
        return self.extreme(cell, 1), -self.extreme(cell, -1)


def intervals(release: Release, hidden: set[Cell]) -> dict[Cell, tuple[float, float]]:
    """Each hidden published cell's attainable interval [least, greatest]."""
    problem = _Problem(equations(release), release.counts, hidden | _virtual(release))
    return {cell: problem.interval(cell) for cell in hidden if not release.is_virtual(cell)}


def _virtual(release: Release) -> set[Cell]:
    return {cell for cell in release.counts if release.is_virtual(cell)}


def widen(release: Release, suppressed: set[Cell], threshold: int) -> set[Cell]:
    """`suppressed` plus the complements that make every hidden cell's interval at least
    `threshold` wide (greatest minus least), none of them determined exactly."""
    rows = equations(release)
    by_cell: dict[Cell, list[int]] = defaultdict(list)
    for number, row in enumerate(rows):
        for cell in row:
            by_cell[cell].append(number)
    virtual = _virtual(release)
    hidden = set(suppressed)
    queue = sorted(hidden, key=lambda c: (release.counts[c], len(c), sorted(c)))
    while queue:
        cell = queue.pop(0)
        while True:
            low, high = _Problem(rows, release.counts, hidden | virtual).interval(cell)
            if high - low >= threshold:
                break
            complement = _complement(release, rows, by_cell, hidden | virtual, cell, threshold)
            hidden.add(complement)
            queue.append(complement)
    return hidden


def _complement(
    release: Release,
    rows: Sequence[Mapping[Cell, int]],
    by_cell: Mapping[Cell, list[int]],
    hidden: set[Cell],
    cell: Cell,
    threshold: int,
) -> Cell:
    """The shown cell to hide next for a narrow `cell`: of the shown cells in the relations
    nearest to it through hidden cells, one that makes its interval wide enough with the
    smallest count that can move by the threshold (then the most detailed: margins are shared
    by many tables); failing that, the one that widens it most. A zero is a poor complement:
    it cannot go down, so it is taken only when nothing else widens."""
    best: tuple[object, ...] | None = None
    choice = None
    for candidate in _nearest_shown(rows, by_cell, hidden, cell):
        low, high = _Problem(rows, release.counts, hidden | {candidate}).interval(cell)
        width = high - low
        count = release.counts[candidate]
        key = (width < threshold, -min(width, threshold), count < threshold, count,
               -len(candidate), sorted(candidate))  # fmt: skip
        if best is None or key < best:
            best, choice = key, candidate
    if choice is None:
        raise RuntimeError("nothing left to hide next to a narrow cell")
    return choice


def _nearest_shown(
    rows: Sequence[Mapping[Cell, int]],
    by_cell: Mapping[Cell, list[int]],
    hidden: set[Cell],
    cell: Cell,
) -> set[Cell]:
    seen, frontier = {cell}, [cell]
    while frontier:
        shown: set[Cell] = set()
        following = []
        for current in frontier:
            for number in by_cell[current]:
                for other in rows[number]:
                    if other in seen:
                        continue
                    seen.add(other)
                    if other in hidden:
                        following.append(other)
                    else:
                        shown.add(other)
        if shown:
            return shown
        frontier = following
    return set()


def protect(release: Release, threshold: int) -> set[Cell]:
    """The cells to hide: `suppression.protect` (every small count, and complements until none
    is an exact linear combination of shown ones), then complements until the attacker's
    bounds are at least the threshold wide. Virtual cells are never shown and not returned."""
    threshold = max(threshold, THRESHOLD_FLOOR)
    return widen(release, suppression.protect(release, threshold), threshold)
