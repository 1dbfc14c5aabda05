"""Making the monthly releases of the figures (docs/adr/0031): once per whole month, after it
ended, by the beat task `outcomes.release_figures`, the command `release_figures` or the demo
loader. A release is never recomputed: a month already released is left alone."""

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from backend.errors import DomainError
from outcomes.instruments import instrument_current, spec_of
from outcomes.models import FigureRelease
from outcomes.stats import facts, publish
from outcomes.stats.suppression import THRESHOLD_FLOOR
from signals.models import Signal


def threshold() -> int:
    """The suppression threshold: the setting, never below the floor of 5. It bounds counts,
    the width of every hidden count's interval, and the number of values behind a time or a
    mean alike."""
    return max(int(settings.STATS_SUPPRESSION_THRESHOLD), THRESHOLD_FLOOR)


def months_due(*, now: datetime | None = None) -> list[date]:
    """Every whole month from the first signal's until the last one before `now`'s month."""
    first = Signal.objects.aggregate(first=Min("created_at"))["first"]
    end = facts.reporting_end(now or timezone.now())
    due = []
    start = None if first is None else facts.month_start(first)
    while start is not None and start < end:
        due.append(start.date())
        start = facts.next_month(start)
    return due


def figure_release_create(*, period: date) -> FigureRelease:
    """The release of the month starting on `period` (a first day, of a month that has ended):
    computed, protected and stored once; an existing release is returned unchanged.

    Side effects: one FigureRelease row. The figures hold no personal data: not access-logged."""
    existing = FigureRelease.objects.filter(period=period).first()
    if existing is not None:
        return existing
    start = facts.month_start(datetime(period.year, period.month, 1, 12, tzinfo=facts.AMSTERDAM))
    if period.day != 1 or facts.next_month(start) > facts.reporting_end(timezone.now()):
        raise DomainError("figures_month_open")
    instrument = instrument_current()
    if instrument is None:
        raise DomainError("unknown_instrument")
    limit = threshold()
    figures, hidden = publish.figures_compute(
        start=start, instrument=instrument, spec=spec_of(instrument), limit=limit
    )
    try:
        with transaction.atomic():
            return FigureRelease.objects.create(
                period=period, threshold=limit, instrument=instrument, figures=figures,
                hidden=hidden,
            )  # fmt: skip
    except IntegrityError:  # released meanwhile by another worker: that one stands
        return FigureRelease.objects.get(period=period)


def figure_releases_create(*, now: datetime | None = None) -> list[FigureRelease]:
    """Releases every whole month not yet released; returns the new ones, oldest first."""
    done = set(FigureRelease.objects.values_list("period", flat=True))
    return [
        figure_release_create(period=period) for period in months_due(now=now) if period not in done
    ]
