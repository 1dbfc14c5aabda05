"""The figures for the network (GET /api/v1/stats): counts, times, shares, score distributions
and paired change, every count of the one release suppressed before it leaves this module
(docs/adr/0030). Callers get `Figure`s: a count, or None where it is suppressed."""

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import MappingVersion, Neighbourhood
from backend.errors import DomainError, invalid_field
from outcomes.instruments import instrument_current, spec_of
from outcomes.models import Instrument
from outcomes.stats import facts, referrals, release
from outcomes.stats.suppression import THRESHOLD_FLOOR, Cell, count_records, protect
from signals.models import Outcome, Status


@dataclass(frozen=True)
class Figure:
    value: str
    count: int | None  # None: suppressed

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class GridRow:
    wijk: str
    month: str
    signals: int | None
    connections: int | None


@dataclass(frozen=True)
class Stats:
    threshold: int
    end: datetime
    months: list[str]
    instrument: Instrument
    filter: dict[str, str]
    total: int | None
    tables: dict[str, list[Figure]]
    grid: list[GridRow] | None
    times: dict[str, dict[str, float | None]]
    shares: dict[str, float | None]
    paired_change: dict[str, Any]
    referrals: list[referrals.KindFigures] | None  # without a filter only
    wijk_names: dict[str, str] = field(default_factory=dict)


def threshold() -> int:
    """The suppression threshold: the setting, never below the floor of 5."""
    return max(int(settings.STATS_SUPPRESSION_THRESHOLD), THRESHOLD_FLOOR)


def _wijk_names() -> dict[str, str]:
    active = MappingVersion.objects.filter(is_active=True).values_list("pk", flat=True)
    rows = Neighbourhood.objects.filter(mapping_version__in=active).values_list(
        "wijk_code", "wijk_name"
    )
    return {code: name for code, name in rows if code}


def _months(records: Sequence[dict[str, str]]) -> list[str]:
    seen = sorted({record["month"] for record in records})
    if not seen:
        return []
    year, month = map(int, seen[0].split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= seen[-1]:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _quantiles(values: list[float], limit: int) -> dict[str, float | None]:
    if len(values) < limit:
        return {"median_hours": None, "p90_hours": None}
    ordered = sorted(values)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8]
    return {"median_hours": round(statistics.median(ordered), 1), "p90_hours": round(p90, 1)}


class _Published:
    """The release's cells as the reader sees them: the count, or None where suppressed."""

    def __init__(self, counts: dict[Cell, int], suppressed: set[Cell]) -> None:
        self.counts = counts
        self.suppressed = suppressed

    def get(self, **values: str) -> int | None:
        cell = Cell(values.items())
        return None if cell in self.suppressed else self.counts[cell]


def _check_filter(filters: dict[str, str], wijken: Sequence[str]) -> dict[str, str]:
    given = {name: value for name, value in filters.items() if value}
    if len(given) > 1:
        raise DomainError("one_stats_filter")
    if given.get("wijk") and given["wijk"] not in wijken:
        raise invalid_field(["wijk"], "unknown", "No such wijk in the figures.")
    return given


def stats_get(*, filters: dict[str, str], now: datetime | None = None) -> Stats:
    """The figures over signals submitted in whole months before the current one, narrowed to
    at most one `wijk` or `target_group` (400 one_stats_filter for both)."""
    end = facts.reporting_end(now or timezone.now())
    instrument = instrument_current()
    if instrument is None:
        raise DomainError("unknown_instrument")
    spec = spec_of(instrument)
    rows = facts.signal_facts(end=end, instrument=instrument)
    records = [row.record for row in rows]
    names = _wijk_names()
    wijken = sorted({*names, *(record["wijk"] for record in records)})
    given = _check_filter(filters, wijken)
    months = _months(records)
    spec_release = release.build(wijken=wijken, months=months, spec=spec)
    count_records(spec_release, records)
    limit = threshold()
    published = _Published(spec_release.counts, protect(spec_release, limit))
    chosen = [row for row in rows if all(row.record[k] == v for k, v in given.items())]
    tables = {
        name: [Figure(value, published.get(**{name: value}, **given)) for value in values]
        for name, values in spec_release.dimensions.items()
        if name in release.TABLES and name not in given
    }
    return Stats(
        threshold=limit,
        end=end,
        months=months,
        instrument=instrument,
        filter=given,
        total=published.get(**given),
        tables=tables,
        grid=_grid(published, wijken, months, given),
        times=_times(chosen, limit),
        shares=_shares(published, given),
        paired_change=_paired_change(published, rows, given, spec_release.dimensions, limit),
        referrals=None if given else referrals.referral_figures(end=end, threshold=limit),
        wijk_names=names,
    )


def _times(rows: Sequence[facts.SignalFacts], limit: int) -> dict[str, dict[str, float | None]]:
    """Median and 90th percentile of the hours from submission to the first acknowledgement
    and the first contact, over at least `limit` signals (else none)."""
    acknowledged = [r.hours_to_acknowledgement for r in rows]
    contacted = [r.hours_to_first_contact for r in rows]
    return {
        "acknowledgement": _quantiles([h for h in acknowledged if h is not None], limit),
        "first_contact": _quantiles([h for h in contacted if h is not None], limit),
    }


def _grid(
    published: _Published, wijken: Sequence[str], months: Sequence[str], given: dict[str, str]
) -> list[GridRow] | None:
    if "target_group" in given:
        return None  # the grid is not published per target group
    return [
        GridRow(
            wijk=wijk,
            month=month,
            signals=published.get(wijk=wijk, month=month),
            connections=published.get(wijk=wijk, month=month, connected="yes"),
        )
        for wijk in wijken
        if given.get("wijk", wijk) == wijk
        for month in months
    ]


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


PAIRED = ("improved", "unchanged", "worsened")


def _paired_change(
    published: _Published,
    rows: Sequence[facts.SignalFacts],
    given: dict[str, str],
    dimensions: dict[str, list[str]],
    limit: int,
) -> dict[str, Any]:
    """The mean change of the total score (follow-up minus baseline; negative is less lonely)
    over the pairs, where their counts are published and at least `limit`. A mean is a sum in
    disguise, so one hidden group among shown ones would be the overall sum minus the others:
    per filter, a lone hidden mean hides the next smallest one too."""
    means = _mean_changes(published, rows, dimensions, limit)
    key = next(iter(given.items()), None)
    pairs = [published.get(score_change=c, **given) for c in PAIRED]
    return {
        "pairs": None if None in pairs else sum(pairs),  # type: ignore[arg-type]
        "mean_change": means.get(key),
    }


def _mean_changes(
    published: _Published,
    rows: Sequence[facts.SignalFacts],
    dimensions: dict[str, list[str]],
    limit: int,
) -> dict[tuple[str, str] | None, float | None]:
    groups: dict[tuple[str, str] | None, Callable[[facts.SignalFacts], bool]] = {
        None: lambda row: True
    }
    for by in release.FILTERS:
        for value in dimensions[by]:
            groups[(by, value)] = lambda row, by=by, value=value: row.record[by] == value
    means: dict[tuple[str, str] | None, float | None] = {}
    sizes: dict[tuple[str, str] | None, int] = {}
    for group, member in groups.items():
        changes = [r.score_change for r in rows if member(r) and r.score_change is not None]
        given = {} if group is None else {group[0]: group[1]}
        cells = [published.get(score_change=c, **given) for c in PAIRED]
        sizes[group] = len(changes)
        shown = None not in cells and len(changes) >= limit
        means[group] = round(statistics.fmean(changes), 2) if shown else None
    for by in release.FILTERS:
        members = [g for g in groups if g is not None and g[0] == by and sizes[g]]
        hidden = [g for g in members if means[g] is None]
        if len(hidden) == 1 and means[None] is not None:
            shown = sorted((sizes[g], g) for g in members if means[g] is not None)
            means[shown[0][1] if shown else None] = None
    return means
