"""What signals asks of the apps above it, each question by name (docs/adr/0037).

Each is a backend.providers.Provider: one function of a higher app answers it, registered in
that app's AppConfig.ready (`initiatives.apps`, `outcomes.apps`), and signals calls `ask` where
it needs the answer. Nobody answering is a valid state with a declared answer: no evidence (a
`connected_to_initiative` close is then refused), no names, no extra deadlines."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.expressions import BaseExpression

from backend.providers import Provider
from signals.models import Consent, Signal


@dataclass(frozen=True)
class Closing:
    """A signal about to close with `outcome`, locked by the transition, asked for before the
    status changes."""

    signal: Signal
    outcome: str
    actor: Any


# signal_transition asks before a signal closes, inside its transaction. The answer (initiatives:
# it stops the active referral) is what the `transitioned` event links, e.g. the referral that
# reached a first meeting for a `connected_to_initiative` close (docs/adr/0026); raising refuses
# the close.
closing_links = Provider[Closing, dict[str, Any]]("signals.closing_links", unanswered=lambda _: {})

# my_signals asks, outside any write, with the referral its closing event links per signal id
# (signal id to referral id); the answer is the initiative's name per signal id where the
# resident's consent covers that initiative now. Looked up at each read, never stored in an
# event: withdrawal, erasure or restriction hides it at once (docs/adr/0026).
connected_names = Provider[Mapping[Any, str], dict[Any, str]](
    "signals.connected_names", unanswered=lambda _: {}
)

# queue_list asks with the queue's queryset of Signal rows; the answer is the deadlines the layers
# above keep (outcomes: the follow-up measurement), by kind, as expressions over that queryset:
# one annotation (subquery) each, no query per row (signals.deadlines, docs/adr/0029).
queue_deadlines = Provider[QuerySet[Signal], dict[str, BaseExpression]](
    "signals.queue_deadlines", unanswered=lambda _: {}
)

# intake asks right after it records a consent, inside its transaction: the initiatives app
# refuses a recipient it does not hold (an id outside its active catalogue) by raising, and
# nothing of the intake is written (docs/adr/0032). Initiatives always answers; unanswered (an
# installation without it) no recipient can be checked and none is refused.
consent_recipients_check = Provider[Consent, None](
    "signals.consent_recipients_check", unanswered=lambda _: None
)
