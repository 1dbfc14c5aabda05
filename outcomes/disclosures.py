"""What a measurement read or write discloses, as access-log entries (NEN 7513, docs/adr/0014,
0022, 0028): the signal's grounds (signals.access or signals.visibility found them) and the
field name of outcomes.personal_data, never an answer."""

from collections.abc import Sequence

from audit.disclosure import Disclosure
from audit.models import Action, Purpose
from outcomes.models import Measurement
from outcomes.personal_data import MEASUREMENT_ANSWERS
from signals.grounds import Grounds

MEASUREMENT = "outcomes.measurement"


def _about(grounds: Grounds, *, action: str, object_id: str, fields: Sequence[str], **details):
    return Disclosure(
        action=action,
        purpose=Purpose.SIGNAL_HANDLING,
        rule=grounds.rule,
        subject_id=grounds.subject_id,
        object_type=MEASUREMENT,
        object_id=object_id,
        fields=tuple(fields),
        consent_id=grounds.consent_id or "",
        details={**grounds.details(), **details},
    )


def measurement_recorded(measurement: Measurement) -> Disclosure:
    """A refusal writes no answer; a measurement writes the answers."""
    fields = [] if measurement.declined else [MEASUREMENT_ANSWERS]
    return _about(
        measurement.signal.grounds,
        action=Action.CREATE,
        object_id=str(measurement.pk),
        fields=fields,
        signal_id=str(measurement.signal_id),
        phase=measurement.phase,
        declined=measurement.declined,
    )


def measurements_read(grounds: Grounds, signal_id: str, rows: Sequence[Measurement]) -> Disclosure:
    """The signal's measurements shown, answers (and scores) where they are still held."""
    with_answers = [row for row in rows if row.answers]
    return _about(
        grounds,
        action=Action.READ,
        object_id=str(rows[0].pk) if len(rows) == 1 else "",
        fields=[MEASUREMENT_ANSWERS] if with_answers else [],
        signal_id=signal_id,
        measurement_ids=[str(row.pk) for row in rows],
    )
