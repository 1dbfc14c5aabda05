"""The shared steps of the one write path (docs/adr/0005, 0022): lock the row, check the
optimistic version, save with a new version, append the event (which tells the layers above,
in this transaction), enqueue routing on commit. Services in signals.services use these after
signals.access has decided that the actor may make the change."""

from typing import Any
from uuid import UUID

from accounts.actors import Actor, SystemActor
from accounts.models import User
from backend.enqueue import enqueue_on_commit
from backend.errors import DomainError
from signals import hooks
from signals.models import Signal, SignalEvent, SignalNote

Event = SignalEvent.Type


def lock_signal(queryset: Any, signal_id: UUID | str, *, allow_restricted: bool = False) -> Signal:
    """Locks one signal of `queryset` (already narrowed to what the actor may touch) until the
    transaction ends. Raises Signal.DoesNotExist outside the queryset, processing_restricted
    (423) for a restricted signal unless `allow_restricted` (the rights actions)."""
    signal = queryset.select_for_update(of=("self",)).get(pk=signal_id)
    if signal.restricted_at and not allow_restricted:
        raise DomainError("processing_restricted")
    return signal


def check_version(signal: Signal, expected: int | None) -> None:
    """Refuses a change made on a stale copy (409 version_conflict with the current version)."""
    if expected is not None and expected != signal.version:
        raise DomainError("version_conflict", details={"current_version": signal.version})


def save_signal(signal: Signal, *fields: str) -> None:
    """Saves the named fields with a new version: every change a client could have missed."""
    signal.version += 1
    signal.save(update_fields=[*fields, "version", "updated_at"])


def append_event(
    signal: Signal,
    event_type: str,
    *,
    actor: Actor,
    from_status: str = "",
    to_status: str = "",
    note: SignalNote | None = None,
    data: dict[str, Any] | None = None,
) -> SignalEvent:
    """Appends one SignalEvent (append-only in the database: signals migration 0008) and
    publishes `event_appended`; a subscriber that raises rolls the change back. `actor` is the
    acting user, or a system actor (accounts.actors.SystemActor), recorded as no person; None
    is refused (403 permission_denied, docs/adr/0039)."""
    if not isinstance(actor, User | SystemActor):
        raise DomainError("permission_denied")
    event = SignalEvent.objects.create(
        signal=signal,
        type=event_type,
        actor=actor if isinstance(actor, User) else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
    # Notifications records its pushes here, in this transaction (docs/adr/0020).
    hooks.send(event)
    return event


def route_later(signal: Signal) -> None:
    """Enqueues routing once the transaction commits (the sweeper catches a lost enqueue)."""
    from signals.tasks import route_signal

    enqueue_on_commit(route_signal, str(signal.pk))
