"""The figures for the network (GET /api/v1/stats), read from the stored monthly releases
(docs/adr/0031): a view of one release, shaped as `Stats`, never computed per request.
Callers get `Figure`s: a count, or None where it is suppressed."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from backend.errors import DomainError, invalid_field
from outcomes.instruments import instruments_active
from outcomes.models import FigureRelease, Instrument
from outcomes.stats import referrals
from outcomes.stats.publish import view_key


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
    period: str = ""
    released: list[str] = field(default_factory=list)  # every period with a release


def _release(period: date | None) -> FigureRelease:
    releases = FigureRelease.objects.all()
    if period is not None:
        releases = releases.filter(period=period.replace(day=1))
    found = releases.select_related("instrument").order_by("-period").first()
    if found is None:
        raise DomainError("no_figures_released")
    return found


def _check_filter(filters: dict[str, str], wijken: list[str]) -> dict[str, str]:
    given = {name: value for name, value in filters.items() if value}
    if len(given) > 1:
        raise DomainError("one_stats_filter")
    if given.get("wijk") and given["wijk"] not in wijken:
        raise invalid_field(["wijk"], "unknown", "No such wijk in the figures.")
    return given


def _released() -> list[str]:
    periods = FigureRelease.objects.order_by("period").values_list("period", flat=True)
    return [f"{period:%Y-%m}" for period in periods]


def _stats(found: FigureRelease, view: dict[str, Any], released: list[str]) -> Stats:
    figures = found.figures
    instrument = instruments_active().filter(pk=found.instrument_id).first() or found.instrument
    return Stats(
        threshold=found.threshold,
        end=datetime.fromisoformat(figures["up_to"]),
        months=list(figures["months"]),
        instrument=instrument,
        filter=dict(view["filter"]),
        total=view["total"],
        tables={
            name: [Figure(value, count) for value, count in rows]
            for name, rows in view["tables"].items()
        },
        grid=None if view["grid"] is None else [GridRow(*row) for row in view["grid"]],
        times=view["times"],
        shares=view["shares"],
        paired_change=view["paired_change"],
        referrals=None
        if view["referrals"] is None
        else [referrals.KindFigures(*row) for row in view["referrals"]],
        wijk_names=dict(figures["wijk_names"]),
        period=f"{found.period:%Y-%m}",
        released=released,
    )


def stats_get(*, filters: dict[str, str], period: date | None = None) -> Stats:
    """One view of the release of `period`'s month (default: the latest release), narrowed to
    at most one `wijk` or `target_group` (400 one_stats_filter for both; 404
    no_figures_released when that month has no release)."""
    found = _release(period)
    given = _check_filter(filters, found.figures["wijken"])
    return _stats(found, found.figures["views"][view_key(given)], _released())


def chart_stats_get(*, period: date | None = None) -> Stats:
    """The unfiltered view of `period`'s release, with the grid of every release up to it:
    each month's rows as its own release stored them."""
    found = _release(period)
    released = _released()
    stats = _stats(found, found.figures["views"][""], released)
    grid, months, names = [], [], {}
    for earlier in FigureRelease.objects.filter(period__lte=found.period).order_by("period"):
        months += earlier.figures["months"]
        grid += [GridRow(*row) for row in earlier.figures["views"][""]["grid"]]
        names.update(earlier.figures["wijk_names"])
    return Stats(**{**stats.__dict__, "grid": grid, "months": months, "wijk_names": names})
