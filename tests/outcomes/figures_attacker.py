"""The attacker of the published figures, written apart from outcomes.stats (it imports nothing
from it): it reads what a person with the figures role can read, every stored release and
every view of it (no filter, each wijk, each target group) as JSON, every table as CSV and
both charts' data, and knows how counts add up (a table's rows sum to its total, a filtered
view's total is a row of the unfiltered table, closed exactly when there is an outcome,
"connected" is the two connected outcomes, a share is part over closed, a referral's first
meeting is one of its referrals). Counts are non-negative integers. For every hidden count it
finds the least and the greatest value all of that allows with a solver (scipy, HiGHS),
across all releases together (a relation that joined two releases would join their cells)."""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

CONNECTED_PREFIX = "connected_to_"
NO_OUTCOME = "none"
SHARE_ROUNDING = 0.0005
FIGURE = re.compile(r'data-figure="([^"]*)"(?: data-count="(\d+)")?')

Key = tuple[str, frozenset]  # (release or "period:referrals", cell)


@dataclass
class Reading:
    threshold: int = 0
    views: int = 0
    values: dict[Key, set] = field(default_factory=lambda: defaultdict(set))
    dimensions: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    shares: list[tuple[Key, Key, float]] = field(default_factory=list)
    at_most: list[tuple[Key, Key]] = field(default_factory=list)  # first <= second
    means: dict[str, dict] = field(default_factory=dict)  # period -> view key -> paired change
    times_under_threshold: int = 0
    chart_figures: int = 0  # bars and hatched markers read from the charts

    def see(self, key: Key, value: object) -> None:
        self.values[key].add(None if value in (None, "") else int(value))


def _cell(given: dict, *pairs: tuple[str, str]) -> frozenset:
    return frozenset({*given.items(), *pairs})


def read(client) -> Reading:
    """Everything the API publishes, by the cell each number counts."""
    reading = Reading()
    periods = client.get("/api/v1/stats").json()["released"]
    for period in periods:
        plain = client.get("/api/v1/stats", {"period": period}).json()
        reading.threshold = plain["threshold"]
        values = {name: [row["value"] for row in rows] for name, rows in plain["tables"].items()}
        reading.dimensions[period] = values
        filters = [{}, *({"wijk": w} for w in values["wijk"])]
        filters += [{"target_group": g} for g in values["target_group"]]
        reading.means[period] = {}
        for given in filters:
            _read_view(client, reading, period, given)
        _read_charts(client, reading, period)
    return reading


def _read_view(client, reading: Reading, period: str, given: dict) -> None:
    body = client.get("/api/v1/stats", {"period": period, **given}).json()
    reading.views += 1
    reading.see((period, _cell(given)), body["total"])
    for name, rows in body["tables"].items():
        for row in rows or []:
            reading.see((period, _cell(given, (name, row["value"]))), row["count"])
    for row in body["grid"] or []:
        at = _cell({}, ("wijk", row["wijk"]), ("month", row["month"]))
        reading.see((period, at), row["signals"])
        reading.see((period, at | {("connected", "yes")}), row["connections"])
    closed = (period, _cell(given, ("status", "closed")))
    for name, share in body["shares"].items():
        if share is not None:
            part = ("connected", "yes") if name == "connected" else ("outcome", name)
            reading.shares.append(((period, _cell(given, part)), closed, share))
            reading.values[(period, _cell(given, part))]  # a count only through the share
    key = ",".join(f"{k}={v}" for k, v in given.items())
    reading.means[period][key] = body["paired_change"]
    times_shown = any(t["median_hours"] is not None for t in body["times"].values())
    if times_shown and body["total"] is not None and body["total"] < reading.threshold:
        reading.times_under_threshold += 1
    for kind in body["referrals"] or []:
        refs = (f"{period}:referrals", frozenset({("kind", kind["kind"])}))
        met = (f"{period}:referrals", frozenset({("kind", kind["kind"]), ("reached", "yes")}))
        reading.see(refs, kind["referrals"])
        reading.see(met, kind["first_meetings"])
        reading.at_most.append((met, refs))
    for name in body["tables"]:
        _read_csv(client, reading, period, given, name)


def _read_csv(client, reading: Reading, period: str, given: dict, name: str) -> None:
    response = client.get(
        "/api/v1/stats/tables", {"period": period, "name": name, "format": "csv", **given}
    )
    reading.views += 1
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    for row in rows:
        reading.see((period, _cell(given, (name, row["value"]))), row["count"])


def _read_charts(client, reading: Reading, period: str) -> None:
    for name in ("signals-per-wijk-month", "score-distribution"):
        svg = client.get("/api/v1/stats/charts", {"period": period, "name": name})
        reading.views += 1
        for figure, count in FIGURE.findall(svg.content.decode()):
            reading.chart_figures += 1
            pairs = dict(part.split("=", 1) for part in figure.split(";"))
            month = pairs.get("month")
            if month is not None and month != period:
                continue  # an earlier release's column, read with that release
            reading.see((period, frozenset(pairs.items())), count or None)


def relations(reading: Reading) -> list[dict[Key, int]]:
    """How the counts add up, as {cell: coefficient} rows that sum to zero."""
    rows = []
    for period, cell in list(reading.values):
        if period not in reading.dimensions:
            continue
        values = reading.dimensions[period]
        present = dict(cell)
        for name, options in values.items():
            if name in present:
                continue
            children = [(period, cell | {(name, v)}) for v in options]
            if all(child in reading.values for child in children):
                rows.append({(period, cell): -1, **dict.fromkeys(children, 1)})
        if present.get("status") == "closed":
            rest = cell - {("status", "closed")}
            outcomes = [(period, rest | {("outcome", o)}) for o in values["outcome"]
                        if o != NO_OUTCOME]  # fmt: skip
            if all(o in reading.values for o in outcomes):
                rows.append({(period, cell): -1, **dict.fromkeys(outcomes, 1)})
        if present.get("connected") == "yes":
            rest = cell - {("connected", "yes")}
            parts = [(period, rest | {("outcome", o)}) for o in values["outcome"]
                     if o.startswith(CONNECTED_PREFIX)]  # fmt: skip
            if all(p in reading.values for p in parts):
                rows.append({(period, cell): -1, **dict.fromkeys(parts, 1)})
    return rows


@dataclass
class Totals:
    views: int
    cells: int
    hidden: int
    determined_exactly: int
    narrowed_below_threshold: int
    inconsistent: int
    means_given_away: int
    times_under_threshold: int
    narrow: dict  # cell -> (least, greatest), for the failure message

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "narrow"}


def attack(reading: Reading) -> Totals:
    inconsistent = sum(1 for seen in reading.values.values() if len(seen - {None}) > 1)
    known = {k: next(iter(v - {None})) for k, v in reading.values.items() if v - {None}}
    unknown = sorted((k for k in reading.values if k not in known), key=_order)
    hidden = {k for k in unknown if reading.values[k]}  # shown as suppressed somewhere
    rows = relations(reading)
    narrow = {}
    for component in _components(unknown, rows, reading):
        narrow.update(_bounds(component, rows, known, reading, hidden))
    exact = sum(1 for low, high in narrow.values() if low == high)
    return Totals(
        views=reading.views,
        cells=len(reading.values),
        hidden=len(hidden),
        determined_exactly=exact,
        narrowed_below_threshold=len(narrow),
        inconsistent=inconsistent,
        means_given_away=_means_given_away(reading),
        times_under_threshold=reading.times_under_threshold,
        narrow=narrow,
    )


def _components(hidden: list[Key], rows: list[dict], reading: Reading) -> list[list[Key]]:
    """Hidden cells that relations join (so each is solved with everything that bears on it)."""
    parent = {k: k for k in hidden}

    def find(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    links = [list(row) for row in rows]
    links += [[part, whole] for part, whole, _ in reading.shares] + [
        list(p) for p in reading.at_most
    ]
    for link in links:
        members = [k for k in link if k in parent]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    groups: dict[Key, list[Key]] = defaultdict(list)
    for k in hidden:
        groups[find(k)].append(k)
    return list(groups.values())


def _order(key: Key) -> tuple:
    return (key[0], sorted(key[1]))


def _bounds(
    component: list[Key], rows: list[dict], known: dict, reading: Reading, hidden: set
) -> dict:
    index = {k: n for n, k in enumerate(component)}
    matrix, low, high = [], [], []

    def add(row: dict[Key, float], lo: float, hi: float) -> None:
        vector = np.zeros(len(component))
        constant = 0.0
        for k, c in row.items():
            if k in index:
                vector[index[k]] += c
            else:
                constant += c * known[k]
        if vector.any():
            matrix.append(vector)
            low.append(lo - constant)
            high.append(hi - constant)

    for row in rows:
        if any(k in index for k in row):
            add(row, 0, 0)
    for part, whole, share in reading.shares:
        if part in index or whole in index:
            add({part: 1, whole: -(share + SHARE_ROUNDING)}, -np.inf, 0)
            add({part: 1, whole: -(share - SHARE_ROUNDING)}, 0, np.inf)
    for small, large in reading.at_most:
        if small in index or large in index:
            add({small: 1, large: -1}, -np.inf, 0)
    constraints = [LinearConstraint(np.array(matrix), low, high)] if matrix else []
    narrow = {}
    for k in component:
        if k not in hidden:
            continue
        least = _extreme(index[k], 1, len(component), constraints)
        greatest = -_extreme(index[k], -1, len(component), constraints)
        if greatest - least < reading.threshold:
            narrow[k] = (least, greatest)
    return narrow


def _extreme(column: int, sign: int, size: int, constraints: list) -> float:
    objective = np.zeros(size)
    objective[column] = sign
    result = milp(objective, constraints=constraints, integrality=np.ones(size),
                  bounds=Bounds(0, np.inf))  # fmt: skip
    if result.status == 3 or (result.status != 0 and "unbounded" in result.message.lower()):
        return -np.inf
    assert result.status == 0, result.message
    return float(round(result.fun))


def _means_given_away(reading: Reading) -> int:
    """A hidden group's mean is the overall sum minus the shown groups' sums: count the
    filters where the overall mean is shown and exactly one group with pairs is hidden, and
    the means shown over fewer pairs than the threshold."""
    found = 0
    for means in reading.means.values():
        overall = means.get("")
        for by in ("wijk", "target_group"):
            groups = {k: v for k, v in means.items() if k.startswith(f"{by}=")}
            hidden = [v for v in groups.values() if v["mean_change"] is None and v["pairs"] != 0]
            if overall and overall["mean_change"] is not None and len(hidden) == 1:
                found += 1
        found += sum(
            1
            for v in means.values()
            if v["mean_change"] is not None and v["pairs"] is not None
            and v["pairs"] < reading.threshold
        )  # fmt: skip
    return found
