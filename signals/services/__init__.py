"""Every change to a signal goes through here: lock the row, check the transition table and the
optimistic version, append a SignalEvent in the same transaction, enqueue follow-ups on commit
(docs/adr/0005). One module per concern; this package exports the public services."""

from signals.services._core import PERSONAL_FIELDS, fingerprint
from signals.services.break_glass import break_glass_grants_expire, signal_break_glass_open
from signals.services.consent import (
    consent_withdraw,
    signal_personal_data_erase,
    signal_restrict,
    signal_restriction_lift,
)
from signals.services.intake import IntakeResult, signal_create
from signals.services.route import signal_escalate, signal_route
from signals.services.transitions import (
    signal_assign,
    signal_forward,
    signal_note_add,
    signal_transition,
)

__all__ = [
    "PERSONAL_FIELDS",
    "IntakeResult",
    "break_glass_grants_expire",
    "consent_withdraw",
    "fingerprint",
    "signal_assign",
    "signal_break_glass_open",
    "signal_create",
    "signal_escalate",
    "signal_forward",
    "signal_note_add",
    "signal_personal_data_erase",
    "signal_restrict",
    "signal_restriction_lift",
    "signal_route",
    "signal_transition",
]
