"""Reads of measurements: a signal's own, for its team (signals.visibility: the team, a share
or a break-glass grant; 404 outside, 423 restricted), scored with their instrument."""

import json
from dataclasses import dataclass
from typing import Any

from backend.errors import DomainError
from outcomes.instruments import spec_of
from outcomes.models import Measurement
from outcomes.scoring import Score, score
from signals.grounds import Grounds
from signals.models import Signal
from signals.visibility import grounds_of


@dataclass(frozen=True)
class SignalMeasurements:
    signal_id: Any
    grounds: Grounds
    rows: list[Measurement]


def answers_of(measurement: Measurement) -> dict[str, str]:
    return json.loads(measurement.answers) if measurement.answers else {}


def score_of(measurement: Measurement) -> Score | None:
    """The scores of a measurement whose answers are held; None if declined or erased."""
    if measurement.declined or not measurement.answers:
        return None
    return score(spec_of(measurement.instrument), answers_of(measurement))


def measurements_for_signal(*, user: Any, signal_id: Any) -> SignalMeasurements:
    """The measurements of one signal the user may read, oldest first."""
    signal = (
        Signal.objects.visible_to(user)
        .with_grounds(user)
        .only("id", "subject_id", "restricted_at")
        .get(pk=signal_id)
    )
    if signal.restricted_at:
        raise DomainError("processing_restricted")
    rows = list(
        Measurement.objects.filter(signal=signal).select_related("instrument").order_by("taken_at")
    )
    return SignalMeasurements(signal_id=signal.pk, grounds=grounds_of(signal), rows=rows)
