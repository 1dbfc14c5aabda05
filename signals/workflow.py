"""The single transition table. Pure: no database access; it reads only the status vocabulary
from signals.models."""

# OPEN_FOR_TEAM is declared beside Status, where the queue's index needs it.
from signals.models import OPEN_FOR_TEAM as OPEN_FOR_TEAM
from signals.models import Status

S = Status

# Transitions a person may make through the workflow endpoint. Routing (received/forwarded ->
# routed), forwarding and consent withdrawal have their own services and are listed separately.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset(),
    S.ROUTED: frozenset({S.ACKNOWLEDGED, S.DECLINED}),
    S.ACKNOWLEDGED: frozenset({S.CONTACTED, S.DECLINED, S.CLOSED}),
    S.CONTACTED: frozenset({S.IN_FOLLOW_UP, S.CLOSED}),
    S.IN_FOLLOW_UP: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.DECLINED: frozenset(),
    S.FORWARDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

ROUTABLE = frozenset({S.RECEIVED, S.FORWARDED})
FORWARDABLE = frozenset({S.ROUTED, S.ACKNOWLEDGED, S.CONTACTED, S.IN_FOLLOW_UP, S.DECLINED})
TERMINAL = frozenset({S.CLOSED, S.WITHDRAWN})


def allowed_from(status: str) -> list[str]:
    return sorted(TRANSITIONS[status])


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[from_status]
