"""Every call of initiatives into the signals app's write path, its visibility rules and the
access log, in one place: the signals domain layer is being reworked (issue 9) and adapting to
it should be one edit here (docs/adr/0026)."""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from rest_framework.request import Request

from accounts.models import User
from audit.context import AccessContext
from audit.models import Purpose
from audit.services import access_log_record
from signals import selectors as signal_selectors
from signals.grounds import NOTE_BODY, Grounds
from signals.models import Consent, Signal, SignalEvent, SignalNote
from signals.services._core import _append_event, _lock, _note, _save

SHARE_WITH_INITIATIVE = "share_with_initiative"  # the consent purpose (signals' vocabulary)
REFERRAL_EVENT = SignalEvent.Type.REFERRAL
SIGNAL = "signals.signal"
__all__ = ["NOTE_BODY"]


def signal_for_team_work(*, actor: User, signal_id: uuid.UUID | str) -> Signal:
    """Locks a signal the actor works on as a team member (own team or a standing share, not
    break-glass; 404 outside, 403 for a break-glass reader, 423 when restricted). The signal
    carries `.grounds` for the access log. Call inside a transaction."""
    grounds = signal_selectors.signal_grounds_for_team_work(user=actor, signal_id=signal_id)
    signal = _lock(signal_id)
    signal.grounds = grounds
    return signal


def signal_for_team_read(*, actor: User, signal_id: uuid.UUID | str) -> Signal:
    """A signal the actor works on as a team member, with its buurt and reasons, unlocked."""
    grounds = signal_selectors.signal_grounds_for_team_work(user=actor, signal_id=signal_id)
    signal = (
        Signal.objects.select_related("neighbourhood", "consent")
        .prefetch_related("reasons")
        .get(pk=signal_id)
    )
    if signal.restricted_at:
        from backend.errors import DomainError

        raise DomainError("processing_restricted")
    signal.grounds = grounds
    return signal


def consent_of(signal: Signal) -> Consent | None:
    return Consent.objects.filter(signal=signal).select_related("withdrawal").first()


def save_signal(signal: Signal, *fields: str) -> None:
    _save(signal, *fields)


def add_note(signal: Signal, actor: User, body: str) -> SignalNote | None:
    return _note(signal, actor, body)


def append_referral_event(
    signal: Signal, *, actor: User | None, note: SignalNote | None, data: dict[str, Any]
) -> SignalEvent:
    return _append_event(signal, REFERRAL_EVENT, actor=actor, note=note, data=data)


@dataclass(frozen=True)
class Disclosure:
    action: str
    grounds: Grounds | None
    object_type: str = SIGNAL
    object_id: uuid.UUID | str = ""
    fields: Sequence[str] = ()
    rule: str = ""
    details: dict[str, Any] | None = None


class Disclosures(list):
    def add(self, disclosure: Disclosure) -> None:
        self.append(disclosure)


@contextmanager
def logged(request: Request) -> Iterator[Disclosures]:
    """Runs the block, then writes one access-log row per disclosure it added, in the block's
    transaction: if a row cannot be written the work rolls back (fail closed, ADR 0014)."""
    with transaction.atomic():
        entries = Disclosures()
        yield entries
        if not entries:
            raise RuntimeError("an access-logged block reported no disclosure")
        context = AccessContext.from_request(request)
        for entry in entries:
            grounds = entry.grounds
            access_log_record(
                context=context,
                action=entry.action,
                purpose=Purpose.SIGNAL_HANDLING,
                subject_id=grounds.subject_id if grounds else None,
                object_type=entry.object_type,
                object_id=entry.object_id,
                fields_touched=entry.fields,
                authorisation_rule=entry.rule or (grounds.rule if grounds else ""),
                consent_id=(grounds.consent_id or "") if grounds else "",
                details={**(grounds.details() if grounds else {}), **(entry.details or {})},
            )
