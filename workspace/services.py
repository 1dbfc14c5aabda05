"""Writes of the workspace itself (the signal's own changes go through signals.services)."""

from typing import Any

from accounts.models import User
from workspace.models import SeenSignal


def signal_seen_mark(*, user: User, signal_id: Any) -> None:
    """Marks the signal as opened by the user: the queue stops marking it new. Safe to repeat.

    Side effects: a SeenSignal row the first time."""
    SeenSignal.objects.get_or_create(user=user, signal_id=signal_id)
