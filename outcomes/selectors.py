"""Reads of measurements: a signal's own, for its team (signals.visibility: the team, a share
or a break-glass grant; 404 outside, 423 restricted), scored with their instrument. A read that
shows answers writes its access-log row itself, in its own transaction (docs/adr/0041)."""

import json
from dataclasses import dataclass
from typing import Any

from audit.disclosure import access_logged
from backend.errors import DomainError
from backend.i18n import is_english
from outcomes import disclosures
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


def measurement_answers_text(measurement: Measurement) -> list[dict[str, str]]:
    """The answers with the question and the answer as worded in the language asked, for the
    resident's own export (AVG art. 15)."""
    given = answers_of(measurement)
    if not given:
        return []
    english = is_english(measurement.language)
    items = measurement.instrument.items.prefetch_related("options").order_by("position")
    rows = []
    for item in items:
        if item.code not in given:
            continue
        option = next(o for o in item.options.all() if o.code == given[item.code])
        rows.append(
            {
                "item": item.code,
                "question": item.text_en if english else item.text_nl,
                "answer": option.label_en if english else option.label_nl,
            }
        )
    return rows


def score_of(measurement: Measurement) -> Score | None:
    """The scores of a measurement whose answers are held; None if declined or erased."""
    if measurement.declined or not measurement.answers:
        return None
    return score(spec_of(measurement.instrument), answers_of(measurement))


def measurements_for_signal(*, user: Any, signal_id: Any) -> SignalMeasurements:
    """The measurements of one signal the user may read, oldest first.

    Side effects: one AccessLog row (read) when there is a measurement to show; none for an
    empty list, which discloses nothing."""
    with access_logged(actor=user, required=False) as log:
        signal = (
            Signal.objects.visible_to(user)
            .with_grounds(user)
            .only("id", "subject_id", "restricted_at")
            .get(pk=signal_id)
        )
        if signal.restricted_at:
            raise DomainError("processing_restricted")
        rows = list(
            Measurement.objects.filter(signal=signal)
            .select_related("instrument")
            .order_by("taken_at")
        )
        found = SignalMeasurements(signal_id=signal.pk, grounds=grounds_of(signal), rows=rows)
        if rows:
            log.add(disclosures.measurements_read(found.grounds, str(found.signal_id), rows))
    return found
