"""One month's figures, computed once (docs/adr/0031): the signals submitted in that month as
they stand when the release is made, counted into the one release of linked tables, protected
(outcomes.stats.audit), and shaped into every view the API offers: no filter, each wijk, each
target group. What this returns is stored as is; nothing here runs per request."""

import statistics
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from accounts.models import MappingVersion, Neighbourhood
from outcomes.models import Instrument
from outcomes.scoring import InstrumentSpec
from outcomes.stats import facts, referrals, release
from outcomes.stats.audit import protect
from outcomes.stats.suppression import Cell, count_records
from signals.models import Outcome, Status, TargetGroup

PAIRED = ("improved", "unchanged", "worsened")
Group = tuple[str, str] | None  # (filter, value), or None for no filter


class _Published:
    """The release's cells as the reader sees them: the count, or None where suppressed."""

    def __init__(self, counts: dict[Cell, int], suppressed: set[Cell]) -> None:
        self.counts = counts
        self.suppressed = suppressed

    def get(self, **values: str) -> int | None:
        cell = Cell(values.items())
        return None if cell in self.suppressed else self.counts[cell]


def wijk_names() -> dict[str, str]:
    active = MappingVersion.objects.filter(is_active=True).values_list("pk", flat=True)
    rows = Neighbourhood.objects.filter(mapping_version__in=active).values_list(
        "wijk_code", "wijk_name"
    )
    return {code: name for code, name in rows if code}


def view_key(given: dict[str, str]) -> str:
    """How a view is stored: `""` for no filter, else `name:value`."""
    return "".join(f"{name}:{value}" for name, value in given.items())


def figures_compute(
    *, start: datetime, instrument: Instrument, spec: InstrumentSpec, limit: int
) -> tuple[dict[str, Any], int]:
    """The month from `start`: every view as stored, and how many published cells are hidden."""
    end = facts.next_month(start)
    rows = facts.signal_facts(start=start, end=end, instrument=instrument)
    records = [row.record for row in rows]
    names = wijk_names()
    wijken = sorted({*names, *(record["wijk"] for record in records)})
    months = [facts.month_of(start)]
    spec_release = release.build(wijken=wijken, months=months, spec=spec)
    count_records(spec_release, records)
    hidden = protect(spec_release, limit)
    published = _Published(spec_release.counts, hidden)
    means = _mean_changes(published, rows, spec_release.dimensions, limit)
    groups: list[dict[str, str]] = [{}, *({"wijk": w} for w in wijken)]
    groups += [{"target_group": g} for g in TargetGroup.values]
    views = {}
    for given in groups:
        chosen = [row for row in rows if all(row.record[k] == v for k, v in given.items())]
        views[view_key(given)] = {
            "filter": given,
            "total": published.get(**given),
            "tables": {
                name: [[value, published.get(**{name: value}, **given)] for value in values]
                for name, values in spec_release.dimensions.items()
                if name in release.TABLES and name not in given
            },
            "grid": _grid(published, wijken, months, given),
            "times": _times(chosen, limit),
            "shares": _shares(published, given),
            "paired_change": _paired_change(published, given, means),
            "referrals": None if given else _referrals(start, end, limit),
        }
    figures = {
        "up_to": end.isoformat(),
        "months": months,
        "wijken": wijken,
        "wijk_names": {code: names[code] for code in wijken if code in names},
        "views": views,
    }
    return figures, len([cell for cell in hidden if not spec_release.is_virtual(cell)])


def _referrals(start: datetime, end: datetime, limit: int) -> list[list[Any]]:
    kinds = referrals.referral_figures(start=start, end=end, threshold=limit)
    return [[k.kind, k.referrals, k.first_meetings] for k in kinds]


def _quantiles(values: list[float], limit: int) -> dict[str, float | None]:
    if len(values) < limit:
        return {"median_hours": None, "p90_hours": None}
    ordered = sorted(values)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8]
    return {"median_hours": round(statistics.median(ordered), 1), "p90_hours": round(p90, 1)}


def _times(rows: Sequence[facts.SignalFacts], limit: int) -> dict[str, dict[str, float | None]]:
    """Median and 90th percentile of the hours from submission to the first acknowledgement
    and the first contact, over at least `limit` signals that have one (else none)."""
    acknowledged = [r.hours_to_acknowledgement for r in rows]
    contacted = [r.hours_to_first_contact for r in rows]
    return {
        "acknowledgement": _quantiles([h for h in acknowledged if h is not None], limit),
        "first_contact": _quantiles([h for h in contacted if h is not None], limit),
    }


def _grid(
    published: _Published, wijken: Sequence[str], months: Sequence[str], given: dict[str, str]
) -> list[list[Any]] | None:
    if "target_group" in given:
        return None  # the grid is not published per target group
    return [
        [wijk, month, published.get(wijk=wijk, month=month),
         published.get(wijk=wijk, month=month, connected="yes")]
        for wijk in wijken
        if given.get("wijk", wijk) == wijk
        for month in months
    ]  # fmt: skip


def _ratio(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(part / whole, 3)


def _shares(published: _Published, given: dict[str, str]) -> dict[str, float | None]:
    """Shares of the closed signals, from published cells only: a suppressed part or whole
    leaves the share out rather than reveal it."""
    closed = published.get(status=Status.CLOSED, **given)
    return {
        "connected": _ratio(published.get(connected="yes", **given), closed),
        **{
            outcome: _ratio(published.get(outcome=outcome, **given), closed)
            for outcome in (Outcome.CONNECTED_TO_INITIATIVE, Outcome.CONNECTED_TO_INFORMAL_NETWORK)
        },
    }


def _paired_change(
    published: _Published, given: dict[str, str], means: dict[Group, float | None]
) -> dict[str, Any]:
    pairs = [published.get(score_change=c, **given) for c in PAIRED]
    key = next(iter(given.items()), None)
    return {
        "pairs": None if None in pairs else sum(pairs),  # type: ignore[arg-type]
        "mean_change": means.get(key),
    }


def _mean_changes(
    published: _Published,
    rows: Sequence[facts.SignalFacts],
    dimensions: dict[str, list[str]],
    limit: int,
) -> dict[Group, float | None]:
    """The mean change of the total score (follow-up minus baseline; negative is less lonely)
    per group, over at least `limit` pairs whose counts are published (a mean of a hidden
    count would tell which counts it can be a mean over). A mean is a sum in disguise: with
    the overall mean shown, the hidden groups of one filter together are the overall sum
    minus the shown ones.
    So per filter, while the hidden groups that have pairs are one alone or fewer than `limit`
    pairs together, the smallest shown group is hidden too (and at last the overall mean)."""
    changes: dict[Group, list[int]] = {None: [r.score_change for r in rows if r.score_change
                                              is not None]}  # fmt: skip
    member: dict[Group, Callable[[facts.SignalFacts], bool]] = {}
    for by in release.FILTERS:
        for value in dimensions[by]:
            member[(by, value)] = lambda row, by=by, value=value: row.record[by] == value
    for group, belongs in member.items():
        changes[group] = [r.score_change for r in rows if belongs(r) and r.score_change is not None]
    shown = {
        group: len(values) >= limit
        and None
        not in (published.get(score_change=c, **dict([group] if group else [])) for c in PAIRED)
        for group, values in changes.items()
    }
    for by in release.FILTERS:
        members = [g for g in member if g[0] == by and changes[g]]
        while shown[None]:
            hidden = [g for g in members if not shown[g]]
            pairs = sum(len(changes[g]) for g in hidden)
            if not hidden or (len(hidden) > 1 and pairs >= limit):
                break
            still = sorted((len(changes[g]), g) for g in members if shown[g])
            if still:
                shown[still[0][1]] = False
            else:
                shown[None] = False
    return {
        group: round(statistics.fmean(values), 2) if shown[group] else None
        for group, values in changes.items()
    }
