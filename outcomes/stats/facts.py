"""The facts the figures count, one record per signal, read from what erasure keeps
(docs/adr/0030): the buurt's wijk, the month of submission, target group, urgency, status, the
closing outcome, the moments of acknowledgement and first contact (events), and the scores of
measurements whose answers are still held. Nothing here leaves this package unaggregated."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.utils import timezone

from outcomes.instruments import spec_of
from outcomes.models import Instrument, Measurement, Phase
from outcomes.scoring import InstrumentSpec, score
from signals.models import Outcome, Signal, SignalEvent, Status

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UNMAPPED = "unmapped"
NONE = "none"
DECLINED = "declined"
INCOMPLETE = "incomplete"
CONNECTED = frozenset({Outcome.CONNECTED_TO_INITIATIVE, Outcome.CONNECTED_TO_INFORMAL_NETWORK})


@dataclass(frozen=True)
class SignalFacts:
    record: dict[str, str]  # dimension -> value
    hours_to_acknowledgement: float | None
    hours_to_first_contact: float | None
    score_change: int | None  # follow-up total minus baseline total


def month_start(moment: datetime) -> datetime:
    local = moment.astimezone(AMSTERDAM)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_of(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y-%m")


def reporting_end(now: datetime | None = None) -> datetime:
    """Figures cover whole months: signals submitted before the current month began, so a new
    intake does not show up on its own the day after (docs/adr/0030)."""
    return month_start(now or timezone.now())


def _first_moments(status: str, signal_ids: list[Any]) -> dict[Any, datetime]:
    rows = (
        SignalEvent.objects.filter(
            signal_id__in=signal_ids, type=SignalEvent.Type.TRANSITIONED, to_status=status
        )
        .values("signal_id")
        .annotate(first=Min("created_at"))
    )
    return {row["signal_id"]: row["first"] for row in rows}


def _hours(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 3600


def _measurement_value(row: Measurement | None, spec: InstrumentSpec, instrument_id: int) -> Any:
    """The score dimension's value and the total (None without one)."""
    if row is None or row.erased_at is not None:
        return NONE, None
    if row.declined:
        return DECLINED, None
    if row.instrument_id != instrument_id:
        return NONE, None  # counted in the figures of its own instrument
    total = score(spec, json.loads(row.answers)).total
    return (INCOMPLETE, None) if total is None else (str(total), total)


def next_month(start: datetime) -> datetime:
    return month_start(start + timedelta(days=32))


def signal_facts(*, start: datetime, end: datetime, instrument: Instrument) -> list[SignalFacts]:
    """One SignalFacts per signal submitted from `start` until `end`, as it stands now."""
    signals = list(
        Signal.objects.filter(created_at__gte=start, created_at__lt=end).values(
            "id", "created_at", "target_group", "urgency", "status", "outcome",
            "neighbourhood__wijk_code",
        )
    )  # fmt: skip
    ids = [row["id"] for row in signals]
    acknowledged = _first_moments(Status.ACKNOWLEDGED, ids)
    contacted = _first_moments(Status.CONTACTED, ids)
    measurements: dict[tuple[Any, str], Measurement] = {
        (row.signal_id, row.phase): row
        for row in Measurement.objects.filter(signal_id__in=ids).only(
            "signal_id", "phase", "instrument_id", "declined", "answers", "erased_at"
        )
    }
    spec = spec_of(instrument)
    facts = []
    for row in signals:
        baseline, before = _measurement_value(
            measurements.get((row["id"], Phase.BASELINE)), spec, instrument.pk
        )
        follow_up, after = _measurement_value(
            measurements.get((row["id"], Phase.FOLLOW_UP)), spec, instrument.pk
        )
        change = None if before is None or after is None else after - before
        # Only a closed signal has an outcome here (a closed signal withdrawn later has none),
        # so "has an outcome" and "closed" are the same fact (suppression's `closed` link).
        outcome = row["outcome"] if row["status"] == Status.CLOSED and row["outcome"] else NONE
        record = {
            "wijk": row["neighbourhood__wijk_code"] or UNMAPPED,
            "month": month_of(row["created_at"]),
            "target_group": row["target_group"],
            "urgency": row["urgency"],
            "status": row["status"],
            "outcome": outcome,
            "connected": "yes" if outcome in CONNECTED else "no",
            "closed": "yes" if row["status"] == Status.CLOSED else "no",
            "baseline": baseline,
            "follow_up": follow_up,
            "score_change": _change_value(change),
        }
        facts.append(
            SignalFacts(
                record=record,
                hours_to_acknowledgement=_hours(row["created_at"], acknowledged.get(row["id"])),
                hours_to_first_contact=_hours(row["created_at"], contacted.get(row["id"])),
                score_change=change,
            )
        )
    return facts


def _change_value(change: int | None) -> str:
    if change is None:
        return "not_paired"
    if change < 0:
        return "improved"  # a lower score is less lonely
    return "unchanged" if change == 0 else "worsened"
