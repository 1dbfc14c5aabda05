"""Every table of the figures as columns and rows, for JSON and CSV alike: the one-way tables,
the wijk-month grid, the times, the shares and the paired change (docs/adr/0030)."""

from collections.abc import Callable
from typing import Any

from outcomes.stats.labels import label
from outcomes.stats.release import TABLES
from outcomes.stats.selectors import Stats

Table = tuple[list[str], list[list[Any]]]


def _one_way(name: str) -> Callable[[Stats], Table]:
    def build(stats: Stats) -> Table:
        rows = [
            [f.value, label(name, f.value, stats.wijk_names), f.count, f.suppressed]
            for f in stats.tables.get(name, [])
        ]
        return ["value", "label", "count", "suppressed"], rows

    return build


def _grid(stats: Stats) -> Table:
    rows = [
        [row.wijk, label("wijk", row.wijk, stats.wijk_names), row.month, row.signals,
         row.connections]
        for row in stats.grid or []
    ]  # fmt: skip
    return ["wijk", "wijk_name", "month", "signals", "connections"], rows


def _times(stats: Stats) -> Table:
    rows = [[name, t["median_hours"], t["p90_hours"]] for name, t in stats.times.items()]
    return ["measure", "median_hours", "p90_hours"], rows


def _shares(stats: Stats) -> Table:
    return ["share_of_closed", "value"], [[name, v] for name, v in stats.shares.items()]


def _paired_change(stats: Stats) -> Table:
    change = stats.paired_change
    return ["pairs", "mean_change"], [[change["pairs"], change["mean_change"]]]


def _referrals(stats: Stats) -> Table:
    rows = [
        [k.kind, label("kind", k.kind, {}), k.referrals, k.first_meetings]
        for k in stats.referrals or []
    ]
    return ["kind", "label", "referrals", "first_meetings"], rows


BUILDERS: dict[str, Callable[[Stats], Table]] = {
    **{name: _one_way(name) for name in TABLES},
    "grid": _grid,
    "times": _times,
    "shares": _shares,
    "paired_change": _paired_change,
    "referrals": _referrals,
}


def table_of(stats: Stats, name: str) -> Table:
    return BUILDERS[name](stats)
