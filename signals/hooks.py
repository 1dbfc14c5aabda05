"""What signals tells the layers above it, without importing them (docs/adr/0020).

`event_appended` is published by the one write path (signals.write_path) right after it
appends a SignalEvent, inside the service's transaction: a subscriber that raises rolls the
whole change back, so an event and what follows from it commit together (docs/adr/0005).
`queue_deadlines` lets a higher app add deadlines of its own to the queue's rows."""

from dataclasses import dataclass, field
from typing import Any

from backend.hooks import Hook
from signals.models import Consent, Signal, SignalEvent

event_appended = Hook[SignalEvent]("signals.event_appended")

# Published by intake right after it records a consent, inside its transaction: a subscriber
# that does not know a recipient it names (initiatives: an id outside its catalogue) raises,
# and nothing of the intake is written (docs/adr/0032).
consent_recorded = Hook[Consent]("signals.consent_recorded")


@dataclass
class Closing:
    """A signal about to close with `outcome`. A subscriber that keeps the evidence of an
    outcome (initiatives: a referral that reached a first meeting) raises to refuse the close or
    adds ids to `links`, which the `transitioned` event records (docs/adr/0026)."""

    signal: Signal
    outcome: str
    actor: Any
    links: dict[str, Any] = field(default_factory=dict)


# Published by signal_transition before a signal closes, inside its transaction.
closing = Hook[Closing]("signals.closing")


@dataclass
class ConnectedNames:
    """The signaller's closed signals that were connected to an initiative, each with the
    referral its closing event links (`referral_ids`: signal id to referral id). A subscriber
    (initiatives) puts the initiative's name in `names` (by signal id) where the resident's
    consent covers that initiative now. The name is looked up at each read and never stored in
    an event: withdrawal, erasure or restriction hides it at once (docs/adr/0026)."""

    referral_ids: dict[Any, str]
    names: dict[Any, str] = field(default_factory=dict)


# Published by signals.selectors.my_signals for the signals it may name, outside any write.
connected_names = Hook[ConnectedNames]("signals.connected_names")


QUEUE_DEADLINE_PREFIX = "deadline_"


class QueueDeadlines:
    """The queue asks the layers above for deadlines of their own (a follow-up measurement,
    outcomes), as annotations on its queryset: one subquery each, no query per row. The queue
    shows each non-empty one as `{kind, due_at, overdue}` next to the status's own `due_at`."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset
        self.kinds: list[str] = []

    def add(self, kind: str, expression: Any) -> None:
        """Adds the deadline `kind` (a code; also the annotation's name) computed by
        `expression` for each signal of the queue."""
        self.queryset = self.queryset.annotate(**{f"{QUEUE_DEADLINE_PREFIX}{kind}": expression})
        self.kinds.append(kind)


# Published by signals.selectors.queue_list for every queue read.
queue_deadlines = Hook[QueueDeadlines]("signals.queue_deadlines")
