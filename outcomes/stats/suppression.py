"""Small-cell suppression for a set of linked frequency tables, purely (docs/adr/0030).

A release is a set of tables over named dimensions; each cell counts the records with given
values for the table's dimensions (`Cell`, a frozenset of (dimension, value) pairs; the grand
total is the empty cell). Every table's margins are part of the release too. Besides row and
column sums, dimensions may be linked: a `Derived` dimension is a function of another's values
(e.g. "connected" of the outcome), and a `virtual` one is never published but links two
published ones (a signal is closed exactly when it has an outcome): a reader could use either
relation, so the equations include them.

`protect` suppresses every cell under the threshold (primary) and then adds complementary
suppressions until no suppressed cell is determined by the published cells: its value is
determined exactly when its unit vector lies in the row space of the release's equations
restricted to the suppressed cells. That is checked by Gaussian elimination over a large prime
field, so it covers every combination of row and column totals, margins of margins and every
filtered view the release answers, not only one line at a time (the differencing attack).
Rank over GF(p) equals rank over the rationals for these 0/±1 systems except with negligible
probability, and an error there could only suppress more, never less."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, product
from typing import Any

Cell = frozenset  # frozenset[tuple[str, str]]
PRIME = (1 << 61) - 1
THRESHOLD_FLOOR = 5


@dataclass(frozen=True)
class Derived:
    """`name` takes `mapping[value]` of the source dimension's value."""

    name: str
    source: str
    mapping: Mapping[str, str]


@dataclass
class Release:
    dimensions: Mapping[str, Sequence[str]]  # the values of each dimension, in order
    tables: Sequence[tuple[str, ...]]  # published tables (their margins come with them)
    derived: Sequence[Derived] = ()
    virtual: frozenset[str] = frozenset()  # dimensions never published, only linking
    counts: dict[Cell, int] = field(default_factory=dict)

    def closure(self) -> list[tuple[str, ...]]:
        """Every table of the release: the published ones, their margins, and the virtual
        tables a derived dimension links to them."""
        tables: set[tuple[str, ...]] = set()
        for table in self.tables:
            tables.update(_subsets(table))
        for rule in self.derived:
            if rule.name in self.virtual:
                for table in list(tables):
                    if rule.source in table:
                        linked = tuple(sorted({*table} - {rule.source} | {rule.name}))
                        tables.update(_subsets(linked))
        return sorted(tables, key=lambda t: (len(t), t))

    def cells(self, table: tuple[str, ...]) -> Iterable[Cell]:
        for values in product(*(self.dimensions[d] for d in table)):
            yield Cell(zip(table, values, strict=True))

    def is_virtual(self, cell: Cell) -> bool:
        return any(dimension in self.virtual for dimension, _ in cell)


def _subsets(table: tuple[str, ...]) -> list[tuple[str, ...]]:
    ordered = tuple(sorted(table))
    return [c for size in range(len(ordered) + 1) for c in combinations(ordered, size)]


def count_records(release: Release, records: Iterable[Mapping[str, str]]) -> None:
    """Fills `release.counts` for every cell of every table (zeros included). Records carry a
    value for every dimension, virtual ones too."""
    tables = release.closure()
    counts: dict[Cell, int] = {cell: 0 for table in tables for cell in release.cells(table)}
    for record in records:
        for table in tables:
            counts[Cell((d, record[d]) for d in table)] += 1
    release.counts = counts


def equations(release: Release) -> list[dict[Cell, int]]:
    """Each linear relation a reader knows holds between cells, as {cell: coefficient} = 0."""
    tables = release.closure()
    present = set(tables)
    rows: list[dict[Cell, int]] = []
    for table in tables:
        for dimension in table:
            rest = tuple(d for d in table if d != dimension)
            for parent in release.cells(rest):
                row = {parent: -1}
                for value in release.dimensions[dimension]:
                    row[parent | {(dimension, value)}] = 1
                rows.append(row)
    for rule in release.derived:
        for table in tables:
            if rule.name not in table:
                continue
            source_table = tuple(sorted({*table} - {rule.name} | {rule.source}))
            if source_table not in present:
                continue
            for cell in release.cells(table):
                target = dict(cell)[rule.name]
                rest = cell - {(rule.name, target)}
                row = {cell: -1}
                for value, mapped in rule.mapping.items():
                    if mapped == target:
                        row[rest | {(rule.source, value)}] = 1
                rows.append(row)
    return rows


def determined(rows: Sequence[Mapping[Cell, int]], unknown: set[Cell]) -> set[Cell]:
    """The unknown cells whose value the known cells and the relations fix."""
    return set(exposures(rows, unknown))


def exposures(rows: Sequence[Mapping[Cell, int]], unknown: set[Cell]) -> dict[Cell, set[Cell]]:
    """Each unknown cell the relations fix, with the known cells of the attacker's formula for
    it. Elimination pivots on unknown cells only and carries the known ones along, so a
    reduced row with a single unknown is that unknown as a combination of known cells."""
    hidden = sorted(unknown, key=_order)
    index = {cell: i for i, cell in enumerate(hidden)}
    known: dict[Cell, int] = {}
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> row {column: coefficient}

    def column(cell: Cell) -> int:  # unknown cells first, known ones numbered after them
        if cell in index:
            return index[cell]
        return known.setdefault(cell, len(hidden) + len(known))

    for row in rows:
        vector = {column(c): v % PRIME for c, v in row.items() if v % PRIME}
        if not any(c < len(hidden) for c in vector):
            continue
        vector = _reduce(vector, pivots)
        lead = min((c for c in vector if c < len(hidden)), default=None)
        if lead is None:
            continue
        inverse = pow(vector[lead], PRIME - 2, PRIME)
        vector = {c: v * inverse % PRIME for c, v in vector.items()}
        for other in pivots.values():  # keep every stored row reduced against the new pivot
            factor = other.get(lead)
            if factor:
                _subtract(other, vector, factor)
        pivots[lead] = vector
    names = {number: cell for cell, number in known.items()}
    found = {}
    for lead, row in pivots.items():
        if sum(1 for c in row if c < len(hidden)) == 1:
            found[hidden[lead]] = {names[c] for c in row if c >= len(hidden)}
    return found


def _subtract(target: dict[int, int], row: Mapping[int, int], factor: int) -> None:
    for c, v in row.items():
        value = (target.get(c, 0) - factor * v) % PRIME
        if value:
            target[c] = value
        else:
            target.pop(c, None)


def _reduce(vector: dict[int, int], pivots: Mapping[int, dict[int, int]]) -> dict[int, int]:
    for column in sorted(c for c in vector if c in pivots):
        factor = vector.get(column)
        if factor:
            _subtract(vector, pivots[column], factor)
    return vector


def _order(cell: Cell) -> tuple[int, list[tuple[str, str]]]:
    return (len(cell), sorted(cell))


def protect(release: Release, threshold: int) -> set[Cell]:
    """The published cells to suppress: every count from 1 to threshold - 1 (threshold at
    least THRESHOLD_FLOOR), and complements until nothing suppressed can be worked out.
    Virtual cells are unknown by nature and never shown."""
    threshold = max(threshold, THRESHOLD_FLOOR)
    rows = equations(release)
    virtual = {cell for cell in release.counts if release.is_virtual(cell)}
    suppressed = {
        cell
        for cell, count in release.counts.items()
        if 0 < count < threshold and cell not in virtual
    }
    by_cell: dict[Cell, list[int]] = defaultdict(list)
    for number, row in enumerate(rows):
        for cell in row:
            by_cell[cell].append(number)
    while True:
        exposed = {
            cell: formula
            for cell, formula in exposures(rows, suppressed | virtual).items()
            if cell not in virtual
        }
        if not exposed:
            return suppressed
        # One complement at a time: the other formulas change with it, and a stale formula
        # would pick a complement that no longer helps.
        cell = min(exposed, key=_order)
        if not exposed[cell]:  # fixed by hidden cells alone: nothing to hide would change that
            raise RuntimeError("a suppressed cell is fixed by the relations alone")
        hidden = suppressed | virtual
        suppressed.add(min(exposed[cell], key=lambda c: _cost(release, rows, by_cell, hidden, c)))


def _cost(
    release: Release,
    rows: Sequence[Mapping[Cell, int]],
    by_cell: Mapping[Cell, list[int]],
    hidden: set[Cell],
    cell: Cell,
) -> tuple[Any, ...]:
    """What hiding a cell of the attacker's formula costs. A zero last: it cannot go down, so
    an attacker who knows counts are never negative still pins what it was to hide. Totals
    are shared by every table they are a margin of, so the most detailed cells go first. Then
    cells whose relations already hide something (hiding one that is alone in a relation
    exposes it there: prefer closing a cycle to opening one), then the smallest count."""
    alone = sum(1 for n in by_cell[cell] if not any(c in hidden for c in rows[n]))
    count = release.counts[cell]
    return (count == 0, -len(cell), alone, count, sorted(cell))
