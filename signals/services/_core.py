"""Shared steps of the one write path: lock, version check, save, append event, enqueue."""

import hashlib
import json
import logging
from typing import Any
from uuid import UUID

from django.utils import timezone

from accounts.models import User
from backend.enqueue import enqueue_on_commit
from backend.errors import DomainError
from signals import hooks
from signals.models import (
    Signal,
    SignalEvent,
    SignalNote,
)

logger = logging.getLogger(__name__)


Event = SignalEvent.Type

PERSONAL_FIELDS = (
    "resident_first_name",
    "contact_phone",
    "contact_email",
    "postcode",
    "house_number",
    "house_number_addition",
    "observation",
)


def fingerprint(payload: dict[str, Any]) -> str:
    """Stable hash of a validated intake body, to tell a retry from a different signal."""
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _append_event(
    signal: Signal,
    event_type: str,
    *,
    actor: User | None = None,
    from_status: str = "",
    to_status: str = "",
    note: SignalNote | None = None,
    data: dict[str, Any] | None = None,
) -> SignalEvent:
    event = SignalEvent.objects.create(
        signal=signal,
        type=event_type,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
    # Notifications records its pushes here, in this transaction (docs/adr/0020).
    hooks.event_appended.publish(event)
    return event


def _lock(signal_id: UUID | str, *, allow_restricted: bool = False) -> Signal:
    signal = Signal.objects.select_for_update().get(pk=signal_id)
    if signal.restricted_at and not allow_restricted:
        raise DomainError("processing_restricted")
    return signal


def _check_version(signal: Signal, expected: int | None) -> None:
    if expected is not None and expected != signal.version:
        raise DomainError("version_conflict", details={"current_version": signal.version})


def _save(signal: Signal, *fields: str) -> None:
    signal.version += 1
    signal.save(update_fields=[*fields, "version", "updated_at"])


def _route_later(signal: Signal) -> None:
    from signals.tasks import route_signal

    enqueue_on_commit(route_signal, str(signal.pk))


def _note(
    signal: Signal, author: User, body: str, corrects: SignalNote | None = None
) -> SignalNote | None:
    if not body:
        return None
    return SignalNote.objects.create(signal=signal, author=author, body=body, corrects=corrects)


def _erase_personal_data(signal: Signal, *, actor: User | None, reason: str) -> None:
    now = timezone.now()
    signal.resident_first_name = ""
    signal.contact_phone = ""
    signal.contact_email = ""
    signal.postcode = ""
    signal.house_number = None
    signal.house_number_addition = ""
    signal.observation = ""
    signal.personal_data_erased_at = now
    _save(signal, *PERSONAL_FIELDS, "personal_data_erased_at")
    signal.notes.filter(erased_at__isnull=True).update(body="", erased_at=now)
    _append_event(signal, Event.PERSONAL_DATA_ERASED, actor=actor, data={"reason": reason})
