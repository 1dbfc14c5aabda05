"""Small-cell suppression on crafted tables: primary and complementary suppression, margins,
linked dimensions, and an independent attacker (tests/outcomes/attacker.py) who finds nothing
(docs/adr/0030)."""

import pytest

from outcomes.stats.suppression import (
    Cell,
    Derived,
    Release,
    count_records,
    determined,
    equations,
    protect,
)
from tests.outcomes import attacker


def records(grid: dict[tuple[str, str], int], dims=("a", "b")) -> list[dict[str, str]]:
    rows = []
    for (x, y), n in grid.items():
        rows += [{dims[0]: x, dims[1]: y}] * n
    return rows


def two_way(grid: dict[tuple[str, str], int]) -> Release:
    release = Release(
        dimensions={"a": ["a1", "a2", "a3"], "b": ["b1", "b2", "b3"]}, tables=[("a", "b")]
    )
    count_records(release, records(grid))
    return release


def published(release: Release, suppressed: set) -> dict:
    return {c: n for c, n in release.counts.items() if c not in suppressed}


# a 3x3 table where only a1/b1 is small
CRAFTED = {
    ("a1", "b1"): 3, ("a1", "b2"): 12, ("a1", "b3"): 15,
    ("a2", "b1"): 11, ("a2", "b2"): 20, ("a2", "b3"): 14,
    ("a3", "b1"): 18, ("a3", "b2"): 13, ("a3", "b3"): 25,
}  # fmt: skip


def test_a_small_cell_is_suppressed_with_complements_so_no_total_gives_it_away():
    release = two_way(CRAFTED)
    suppressed = protect(release, 10)
    small = Cell({("a", "a1"), ("b", "b1")})
    assert small in suppressed
    # row a1 and column b1 each hide a second cell: their totals leave two unknowns
    row = [c for c in suppressed if ("a", "a1") in c and len(c) == 2]
    column = [c for c in suppressed if ("b", "b1") in c and len(c) == 2]
    assert len(row) >= 2 and len(column) >= 2
    # the independent attacker pins nothing, and every hidden cell has several completions
    unknown = sorted(suppressed, key=sorted)
    relations = equations(release)
    assert attacker.pinned(relations, published(release, suppressed), unknown) == {}
    options = attacker.completions(relations, published(release, suppressed), unknown, 30)
    for index, cell in enumerate(unknown):
        assert len({values[index] for values in options}) > 1, cell


def test_without_complements_the_attacker_would_win():
    """The attacker is not toothless: primary suppression alone gives the small cell away."""
    release = two_way(CRAFTED)
    small = Cell({("a", "a1"), ("b", "b1")})
    relations = equations(release)
    assert attacker.pinned(relations, published(release, {small}), [small]) == {small: 3}
    assert determined(relations, {small}) == {small}


def test_counts_of_zero_and_at_the_threshold_are_shown():
    grid = dict(CRAFTED) | {("a1", "b1"): 0, ("a2", "b2"): 10}
    release = two_way(grid)
    assert protect(release, 10) == set()


def test_the_threshold_never_drops_below_five():
    grid = dict(CRAFTED) | {("a1", "b1"): 4}
    release = two_way(grid)
    assert Cell({("a", "a1"), ("b", "b1")}) in protect(release, 2)


def test_a_small_margin_hides_its_line():
    """A row whose total is small: the total is hidden, and so is enough of the row."""
    grid = {(a, b): 12 for a in ("a2", "a3") for b in ("b1", "b2", "b3")}
    grid |= {("a1", "b1"): 2, ("a1", "b2"): 2, ("a1", "b3"): 2}
    release = two_way(grid)
    suppressed = protect(release, 10)
    assert Cell({("a", "a1")}) in suppressed
    unknown = sorted(suppressed, key=sorted)
    assert attacker.pinned(equations(release), published(release, suppressed), unknown) == {}


def linked_release(*, with_link: bool) -> Release:
    release = Release(
        dimensions={"a": ["a1", "a2", "a3"], "b": ["b1", "b2", "b3"], "g": ["x", "y"]},
        tables=[("a", "b"), ("a", "g")],
        derived=[Derived("g", "b", {"b1": "x", "b2": "x", "b3": "y"})] if with_link else [],
    )
    grid = dict(CRAFTED) | {("a1", "b2"): 15, ("a1", "b3"): 11}
    rows = [r | {"g": "x" if r["b"] in ("b1", "b2") else "y"} for r in records(grid)]
    count_records(release, rows)
    return release


def test_a_linked_dimension_is_part_of_the_attack_and_of_the_defence():
    """`g` groups `b` (b1, b2 -> x; b3 -> y). Publishing a/g next to a/b gives the attacker
    relations such as a1/b3 = a1/y unless suppression knows the link."""
    small = Cell({("a", "a1"), ("b", "b1")})
    attack = equations(linked_release(with_link=True))
    naive = linked_release(with_link=False)
    hidden = protect(naive, 10)
    unknown = sorted(hidden, key=sorted)
    assert attacker.pinned(attack, published(naive, hidden), unknown)
    aware = linked_release(with_link=True)
    hidden = protect(aware, 10)
    unknown = sorted(hidden, key=sorted)
    assert small in hidden
    assert attacker.pinned(attack, published(aware, hidden), unknown) == {}


def test_a_virtual_link_between_two_published_dimensions_is_defended():
    """status and outcome are both published; closed = (status is closed) = (has an outcome)
    is never published but an attacker knows it holds."""
    release = Release(
        dimensions={
            "a": ["a1", "a2"],
            "s": ["open", "closed"],
            "o": ["none", "o1", "o2"],
            "c": ["yes", "no"],
        },
        tables=[("a", "s"), ("a", "o")],
        derived=[
            Derived("c", "s", {"open": "no", "closed": "yes"}),
            Derived("c", "o", {"none": "no", "o1": "yes", "o2": "yes"}),
        ],
        virtual=frozenset({"c"}),
    )
    rows = (
        [{"a": "a1", "s": "closed", "o": "o1"}] * 20
        + [{"a": "a1", "s": "closed", "o": "o2"}] * 3
        + [{"a": "a1", "s": "open", "o": "none"}] * 30
        + [{"a": "a2", "s": "closed", "o": "o1"}] * 25
        + [{"a": "a2", "s": "closed", "o": "o2"}] * 15
        + [{"a": "a2", "s": "open", "o": "none"}] * 40
    )
    count_records(release, [r | {"c": "yes" if r["s"] == "closed" else "no"} for r in rows])
    suppressed = protect(release, 10)
    virtual = {cell for cell in release.counts if release.is_virtual(cell)}
    shown = published(release, suppressed | virtual)
    unknown = sorted(suppressed | virtual, key=sorted)
    fixed = attacker.pinned(equations(release), shown, unknown)
    assert not set(fixed) & suppressed
    assert Cell({("a", "a1"), ("o", "o2")}) in suppressed


@pytest.mark.parametrize("seed", range(5))
def test_random_tables_leave_nothing_determined(seed):
    import random

    generator = random.Random(seed)
    grid = {(a, b): generator.choice([0, 1, 2, 3, 8, 12, 20]) for a in ("a1", "a2", "a3")
            for b in ("b1", "b2", "b3")}  # fmt: skip
    release = two_way(grid)
    suppressed = protect(release, 10)
    unknown = sorted(suppressed, key=sorted)
    assert attacker.pinned(equations(release), published(release, suppressed), unknown) == {}
    for cell, n in release.counts.items():
        if 0 < n < 10:
            assert cell in suppressed
