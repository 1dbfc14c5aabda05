"""Reads of the workspace itself."""

from collections.abc import Iterable
from typing import Any

from accounts.models import User
from workspace.models import SeenSignal


def seen_signal_ids(*, user: User, signal_ids: Iterable[Any]) -> set[Any]:
    """Which of these signals the user has opened before."""
    return set(
        SeenSignal.objects.filter(user=user, signal_id__in=list(signal_ids)).values_list(
            "signal_id", flat=True
        )
    )
