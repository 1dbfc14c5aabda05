"""The attacker's bounds, computed the way an attacker works (docs/adr/0031): every count is a
non-negative integer, every published count and every relation of the release holds, and for
each hidden cell the smallest and the largest value those allow are found with a solver
(HiGHS through scipy: a linear programme, then an integer one where its optimum is
fractional). `widen` adds complementary suppressions until every hidden cell's interval is
at least the threshold wide; hiding more only removes constraints, so an interval once wide
enough stays so and every cell is settled once."""

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array, hstack, vstack

from outcomes.stats import suppression
from outcomes.stats.suppression import THRESHOLD_FLOOR, Cell, Release, equations

UNBOUNDED = float("inf")


class _Problem:
    """The release's relations over all its cells, built once: a shown cell is fixed at its
    count, a hidden (or virtual) one ranges over the non-negative integers."""

    def __init__(self, rows: Sequence[Mapping[Cell, int]], counts: Mapping[Cell, int]) -> None:
        self.cells = sorted(counts, key=lambda c: (len(c), sorted(c)))
        self.index = {cell: n for n, cell in enumerate(self.cells)}
        data, row_ids, col_ids = [], [], []
        for number, row in enumerate(rows):
            for cell, coefficient in row.items():
                data.append(coefficient)
                row_ids.append(number)
                col_ids.append(self.index[cell])
        shape = (max(len(rows), 1), max(len(self.cells), 1))
        self.matrix = coo_array((data, (row_ids, col_ids)), shape=shape).tocsr()
        self.zeros = np.zeros(shape[0])
        self.counts = np.array([counts[cell] for cell in self.cells], dtype=float)

    def _bounds(self, hidden: set[Cell]) -> tuple[np.ndarray, np.ndarray]:
        low, high = self.counts.copy(), self.counts.copy()
        for cell in hidden:
            low[self.index[cell]], high[self.index[cell]] = 0, np.inf
        return low, high

    def extreme(self, cell: Cell, sign: int, hidden: set[Cell]) -> float:
        """The least (sign 1) or, negated, the greatest (sign -1) integer value of `cell`."""
        objective = np.zeros(len(self.cells))
        objective[self.index[cell]] = sign
        low, high = self._bounds(hidden)
        result = linprog(
            objective, A_eq=self.matrix, b_eq=self.zeros, bounds=np.column_stack([low, high]),
            method="highs",
        )  # fmt: skip
        if result.status == 3:  # unbounded: no published figure limits it
            return -UNBOUNDED
        if result.status != 0:
            raise RuntimeError(f"the published figures are inconsistent: {result.message}")
        if np.allclose(result.x, np.round(result.x), atol=1e-7):
            return float(round(result.fun))
        exact = milp(
            objective,
            constraints=LinearConstraint(self.matrix, self.zeros, self.zeros),
            integrality=np.ones(len(self.cells)),
            bounds=Bounds(low, high),
        )
        if exact.status != 0:
            raise RuntimeError(f"no integer bound: {exact.message}")
        return float(round(exact.fun))

    def interval(self, cell: Cell, hidden: set[Cell]) -> tuple[float, float]:
        return self.extreme(cell, 1, hidden), -self.extreme(cell, -1, hidden)

    def complements(self, cell: Cell, target: float, hidden: set[Cell]) -> set[Cell]:
        """The shown cells to hide so that `cell` can reach `target`: the cheapest change of
        shown counts (an L1 programme) that keeps every relation and every count
        non-negative. Its changed cells form the cycle an attacker would need; a margin costs
        more than a detailed cell, since many tables share it."""
        size = len(self.cells)
        shown = np.ones(size, dtype=bool)
        for other in hidden:
            shown[self.index[other]] = False
        rows = np.flatnonzero(shown)
        pick = coo_array(
            (np.ones(len(rows)), (np.arange(len(rows)), rows)), shape=(len(rows), size)
        )
        relations = hstack([self.matrix, coo_array((self.matrix.shape[0], 2 * size))])
        changes = hstack([pick, -pick, pick])  # x - up + down = count, on shown cells
        depth = max(len(c) for c in self.cells)
        weight = np.array([1 + 2 * (depth - len(c)) for c in self.cells], dtype=float)
        objective = np.concatenate([np.zeros(size), weight, weight])
        low = np.zeros(3 * size)
        low[self.index[cell]] = target
        result = linprog(
            objective,
            A_eq=vstack([relations, changes]).tocsr(),
            b_eq=np.concatenate([self.zeros, self.counts[rows]]),
            bounds=np.column_stack([low, np.full(3 * size, np.inf)]),
            method="highs",
        )
        if result.status != 0:
            return set()
        moved = np.abs(result.x[size : 2 * size]) + np.abs(result.x[2 * size :])
        return {self.cells[n] for n in rows if moved[n] > 1e-7}


def intervals(release: Release, hidden: set[Cell]) -> dict[Cell, tuple[float, float]]:
    """Each hidden published cell's attainable interval [least, greatest]."""
    problem = _Problem(equations(release), release.counts)
    unknown = hidden | _virtual(release)
    shown_hidden = [cell for cell in hidden if not release.is_virtual(cell)]
    return {cell: problem.interval(cell, unknown) for cell in shown_hidden}


def _virtual(release: Release) -> set[Cell]:
    return {cell for cell in release.counts if release.is_virtual(cell)}


def widen(release: Release, suppressed: set[Cell], threshold: int) -> set[Cell]:
    """`suppressed` plus the complements that make every hidden cell's interval at least
    `threshold` wide (greatest minus least), none of them determined exactly."""
    rows = equations(release)
    problem = _Problem(rows, release.counts)
    virtual = _virtual(release)
    hidden = set(suppressed)
    queue = sorted(hidden, key=lambda c: (release.counts[c], len(c), sorted(c)))
    while queue:
        cell = queue.pop(0)
        low, high = problem.interval(cell, hidden | virtual)
        while high - low < threshold:
            complements = problem.complements(cell, low + threshold, hidden | virtual)
            if not complements:  # no change reaches it: hide its relations' shown cells
                complements = {c for row in rows if cell in row for c in row} - hidden - virtual
            if not complements:
                raise RuntimeError("nothing left to hide next to a narrow cell")
            hidden |= complements
            queue += sorted(complements, key=lambda c: (len(c), sorted(c)))
            low, high = problem.interval(cell, hidden | virtual)
    return hidden


def protect(release: Release, threshold: int) -> set[Cell]:
    """The cells to hide: `suppression.protect` (every small count, and complements until none
    is an exact linear combination of shown ones), then complements until the attacker's
    bounds are at least the threshold wide. Virtual cells are never shown and not returned."""
    threshold = max(threshold, THRESHOLD_FLOOR)
    return widen(release, suppression.protect(release, threshold), threshold)
