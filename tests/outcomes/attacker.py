"""An attacker who knows every published figure and how the figures add up, written apart from
outcomes.stats.suppression so that the tests check it, not repeat it: exact rational
elimination (fractions) on the relations, and for small cases every non-negative integer
completion."""

from fractions import Fraction
from itertools import product


def pinned(relations: list[dict], known: dict, unknown: list) -> dict:
    """The unknown cells the relations fix, with their values. `relations` are
    {cell: coefficient} rows that sum to zero; `known` maps published cells to their counts."""
    rows = []
    for relation in relations:
        row = [Fraction(relation.get(cell, 0)) for cell in unknown]
        constant = -sum(Fraction(c) * known[cell] for cell, c in relation.items() if cell in known)
        if any(row):
            rows.append([*row, constant])
    pivots = []
    width = len(unknown)
    r = 0
    for column in range(width):
        found = next((i for i in range(r, len(rows)) if rows[i][column] != 0), None)
        if found is None:
            continue
        rows[r], rows[found] = rows[found], rows[r]
        lead = rows[r][column]
        rows[r] = [value / lead for value in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][column] != 0:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(column)
        r += 1
    fixed = {}
    for i, column in enumerate(pivots):
        if all(rows[i][c] == 0 for c in range(width) if c != column):
            fixed[unknown[column]] = rows[i][width]
    return fixed


def completions(relations: list[dict], known: dict, unknown: list, bound: int) -> list[tuple]:
    """Every assignment of 0..bound to the unknown cells that satisfies the relations."""
    found = []
    for values in product(range(bound + 1), repeat=len(unknown)):
        assigned = dict(zip(unknown, values, strict=True)) | known
        if all(sum(c * assigned[cell] for cell, c in rel.items()) == 0 for rel in relations):
            found.append(values)
    return found
