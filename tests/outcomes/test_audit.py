"""The audit's bounds on issue 18's wijk table, purely (docs/adr/0031): per wijk 6, 4 and 5
acknowledged among 60, nobody declined anywhere. Hiding the small counts so that no hidden
count is a linear combination of shown ones is not enough once counts are known to be
non-negative; the audit's complements are."""

import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from outcomes.stats import audit, suppression
from outcomes.stats.suppression import Cell, Release, count_records

WIJKEN = {"A": (6, 17, 37), "B": (4, 20, 36), "C": (5, 25, 30)}
STATUSES = ("acknowledged", "contacted", "closed", "declined")


def _release() -> Release:
    release = Release(dimensions={"wijk": list(WIJKEN), "status": list(STATUSES)},
                      tables=[("status", "wijk")])  # fmt: skip
    records = [
        {"wijk": wijk, "status": status}
        for wijk, counts in WIJKEN.items()
        for status, n in zip(STATUSES, counts, strict=False)
        for _ in range(n)
    ]
    count_records(release, records)
    return release


def _narrow(release: Release, hidden: set, threshold: int) -> dict:
    bounds = audit.intervals(release, hidden)
    return {cell: b for cell, b in bounds.items() if b[1] - b[0] < threshold}


def _zero_first(release, rows, by_cell, hidden, cell):
    """ADR 0030's choice of complements: the most detailed cell, then the smallest count."""
    alone = sum(1 for n in by_cell[cell] if not any(c in hidden for c in rows[n]))
    return (-len(cell), alone, release.counts[cell], sorted(cell))


def test_the_linear_check_with_zero_complements_leaves_a_count_pinned(monkeypatch):
    """The issue's case: A's declined 0 hidden as a complement is pinned by the city's 0, so
    A's acknowledged is its total minus the shown counts."""
    monkeypatch.setattr(suppression, "_cost", _zero_first)
    release = _release()
    hidden = suppression.protect(release, 10)
    a = Cell({("wijk", "A"), ("status", "acknowledged")})
    narrow = _narrow(release, hidden, 10)
    assert a in narrow and narrow[a] == (6, 6)


def test_the_audit_widens_every_hidden_count_to_the_threshold():
    release = _release()
    hidden = audit.protect(release, 10)
    assert Cell({("wijk", "A"), ("status", "acknowledged")}) in hidden
    assert _narrow(release, hidden, 10) == {}
    # a published zero stays published: it tells nothing and it pins nothing hidden
    declined = Cell({("status", "declined")})
    assert declined not in hidden and release.counts[declined] == 0


def _integer_bounds(release: Release, hidden: set, cell) -> tuple[float, float]:
    """The test's own integer programme over the release's relations (not the audit's code)."""
    cells = sorted(release.counts, key=sorted)
    index = {c: n for n, c in enumerate(cells)}
    rows = suppression.equations(release)
    matrix = np.zeros((len(rows), len(cells)))
    for number, row in enumerate(rows):
        for c, coefficient in row.items():
            matrix[number, index[c]] = coefficient
    low = np.array([0 if c in hidden else release.counts[c] for c in cells], dtype=float)
    high = np.array([np.inf if c in hidden else release.counts[c] for c in cells])
    found = []
    for sign in (1, -1):
        objective = np.zeros(len(cells))
        objective[index[cell]] = sign
        result = milp(objective, constraints=LinearConstraint(matrix, 0, 0),
                      integrality=np.ones(len(cells)), bounds=Bounds(low, high))  # fmt: skip
        found.append(np.inf if result.status != 0 else sign * result.fun)
    return found[0], found[1]


@pytest.mark.parametrize("seed", range(8))
def test_random_linked_tables_leave_no_hidden_count_narrow(seed):
    chance = random.Random(seed)
    release = Release(
        dimensions={"wijk": ["A", "B", "C"], "group": ["g", "h"], "status": list(STATUSES)},
        tables=[("status", "wijk"), ("group", "status"), ("group", "wijk")],
    )
    records = [
        {"wijk": chance.choice("AABC"), "group": chance.choice("gh"),
         "status": chance.choice(STATUSES[:3] * 3 + STATUSES[3:])}
        for _ in range(chance.randrange(30, 90))
    ]  # fmt: skip
    count_records(release, records)
    hidden = audit.protect(release, 8)
    assert any(0 < release.counts[c] < 8 for c in hidden)
    for cell in hidden:
        least, greatest = _integer_bounds(release, hidden, cell)
        assert greatest - least >= 8, (sorted(cell), least, greatest)
