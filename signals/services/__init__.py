"""Every change to a signal goes through here: signals.access decides whether the actor may
make it and locks the row, signals.write_path checks the optimistic version, saves and appends
a SignalEvent in the same transaction, and follow-ups are enqueued on commit (docs/adr/0005,
0022). One module per concern; this package exports the public services."""

from signals.services.break_glass import break_glass_grants_expire, signal_break_glass_open
from signals.services.consent import (
    consent_withdraw,
    signal_personal_data_erase,
    signal_restrict,
    signal_restriction_lift,
)
from signals.services.intake import IntakeConsent, IntakeInput, IntakeResult, signal_create
from signals.services.route import signal_escalate, signal_route
from signals.services.transitions import (
    signal_assign,
    signal_forward,
    signal_note_add,
    signal_transition,
)

__all__ = [
    "IntakeConsent",
    "IntakeInput",
    "IntakeResult",
    "break_glass_grants_expire",
    "consent_withdraw",
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
