"""Recording a measurement, and erasing answers with the signal's other personal data.

`measurement_record` loads the signal through signals.access (team work: 403 without the
capability, 404 outside the actor's teams and shares, 403 for a break-glass reader, 423 when
restricted), so the API, the demo and tests share one rule (docs/adr/0022, 0028)."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.utils import timezone

from accounts.actors import Actor
from audit.disclosure import access_logged
from backend.errors import DomainError, invalid_field
from outcomes import disclosures
from outcomes.instruments import instrument_current, spec_of
from outcomes.models import Instrument, Measurement, Phase
from outcomes.scoring import UnknownAnswer, check_answers
from signals import consent_scope, deadlines
from signals.access import signal_for_team_work
from signals.models import ConsentPurpose, Signal, Status

CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class MeasurementInput:
    """One phase as the team recorded it: the answers given ({item code: option code}; an item
    left out is missing), or `declined`."""

    phase: str
    answers: Mapping[str, str] = field(default_factory=dict)
    declined: bool = False
    instrument_id: int | None = None
    language: str = "nl"
    taken_at: datetime | None = None
    follow_up_on: date | None = None


def measurement_consent_given(signal: Signal) -> bool:
    """Whether the resident's recorded consent covers measuring, and still stands: granted
    under a text that says what measuring is (signals.consent_scope, docs/adr/0032)."""
    consent = getattr(signal, "consent", None)
    return consent_scope.purpose_given(consent, ConsentPurpose.MEASURE_OUTCOME)


def _instrument(measure: MeasurementInput, baseline: Measurement | None) -> Instrument:
    if measure.phase == Phase.FOLLOW_UP and baseline is not None and not baseline.declined:
        # A paired change compares the same version: the follow-up uses the baseline's.
        if measure.instrument_id not in (None, baseline.instrument_id):
            raise invalid_field(
                ["instrument_id"], "mismatch", "Use the instrument of the baseline measurement."
            )
        return baseline.instrument
    if measure.instrument_id is None:
        instrument = instrument_current()
    else:
        instrument = Instrument.objects.filter(pk=measure.instrument_id, is_active=True).first()
    if instrument is None:
        raise DomainError("unknown_instrument")
    return instrument


def _check_input(measure: MeasurementInput, instrument: Instrument, signal: Signal) -> datetime:
    if measure.declined and measure.answers:
        raise invalid_field(["answers"], "declined", "A declined measurement has no answers.")
    if not measure.declined and not measure.answers:
        raise invalid_field(["answers"], "required", "Give the answers, or record a refusal.")
    try:
        check_answers(spec_of(instrument), measure.answers)
    except UnknownAnswer as error:
        raise invalid_field(["answers"], "unknown", str(error)) from None
    now = timezone.now()
    taken_at = measure.taken_at or now
    if taken_at > now + CLOCK_SKEW or taken_at < signal.created_at:
        raise invalid_field(
            ["taken_at"], "out_of_range", "Between the signal's submission and now."
        )
    if measure.follow_up_on is not None:
        if measure.phase != Phase.BASELINE or measure.declined:
            raise invalid_field(
                ["follow_up_on"], "baseline_only", "Only a baseline with answers has a follow-up."
            )
        if measure.follow_up_on <= taken_at.astimezone(deadlines.AMSTERDAM).date():
            raise invalid_field(["follow_up_on"], "past", "The follow-up lies after the baseline.")
    return taken_at


def measurement_record(*, actor: Actor, signal_id: UUID | str, measure: MeasurementInput) -> Any:
    """Records one phase of a signal's measurement, by its team (signals.access). Answers need
    the resident's consent `measure_outcome` (409 measurement_consent_missing); a refusal is
    recorded as `declined` whatever the consent. One record per phase (409
    measurement_exists); a follow-up needs the baseline (409 baseline_required). A baseline
    with answers sets the follow-up's due date, which the queue shows.

    Side effects: one Measurement (answers encrypted); one AccessLog row (create; the answers'
    field unless declined), in this transaction (docs/adr/0041). The signal itself is not
    changed, so it keeps its version and gets no event: the measurement row is its own
    append-only record."""
    with access_logged(actor=actor) as log:
        signal = signal_for_team_work(actor=actor, signal_id=signal_id)
        if signal.status == Status.WITHDRAWN or signal.personal_data_erased_at:
            raise DomainError("signal_erased")
        existing = {row.phase: row for row in Measurement.objects.filter(signal=signal)}
        if measure.phase in existing:
            raise DomainError("measurement_exists")
        baseline = existing.get(Phase.BASELINE)
        if measure.phase == Phase.FOLLOW_UP and baseline is None:
            raise DomainError("baseline_required")
        instrument = _instrument(measure, baseline)
        taken_at = _check_input(measure, instrument, signal)
        if not measure.declined and not measurement_consent_given(signal):
            raise DomainError("measurement_consent_missing")
        due = None
        if measure.phase == Phase.BASELINE and not measure.declined:
            due = deadlines.measurement_follow_up_due(taken_at, measure.follow_up_on)
        measurement = Measurement.objects.create(
            signal=signal,
            phase=measure.phase,
            instrument=instrument,
            declined=measure.declined,
            answers=json.dumps(dict(measure.answers), sort_keys=True) if measure.answers else "",
            language=measure.language,
            taken_at=taken_at,
            follow_up_due_at=due,
            recorded_by=actor,
        )
        measurement.signal = signal  # carries .grounds for the access log
        log.add(disclosures.measurement_recorded(measurement))
    return measurement


def measurements_erase(*, signal_id: UUID | str) -> int:
    """Blanks the answers of a signal's measurements (withdrawal, erasure, retention: called
    from the `personal_data_erased` event, in that transaction). Idempotent.

    Side effects: `answers` emptied and `erased_at` set; phase, dates and refusals stay."""
    return Measurement.objects.filter(signal_id=signal_id, erased_at__isnull=True).update(
        answers="", erased_at=timezone.now()
    )
