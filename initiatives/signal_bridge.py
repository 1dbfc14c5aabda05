"""Every call of initiatives into the signals app's access rules, its one write path and the
access log, in one place (docs/adr/0022, 0026): services load a signal through
signals.access, change it through signals.write_path, and views report what they disclosed to
audit.disclosure.access_logged."""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from accounts.models import User
from audit import disclosure
from audit.models import Purpose
from signals import access, consent_scope, write_path
from signals.grounds import Grounds
from signals.models import Consent, ConsentPurpose, Signal, SignalEvent, SignalNote
from signals.personal_data import NOTE_BODY

SHARE_WITH_INITIATIVE = ConsentPurpose.SHARE_WITH_INITIATIVE
REFERRAL_EVENT = SignalEvent.Type.REFERRAL
SIGNAL = "signals.signal"
__all__ = ["NOTE_BODY"]


def signal_for_team_work(*, actor: Any, signal_id: uuid.UUID | str) -> Signal:
    """Locks a signal the actor works on as a team member (capability work_team_queue; own team
    or a standing share, not break-glass; 404 outside, 403 for a break-glass reader, 423 when
    restricted). The signal carries `.grounds` for the access log. Call inside a transaction."""
    return access.signal_for_team_work(actor=actor, signal_id=signal_id)


def signal_for_team_read(*, actor: Any, signal_id: uuid.UUID | str) -> Signal:
    """The same rule for a read (suggestions, the referral list), through the one access module:
    the row lock lasts only the read's short transaction."""
    return signal_for_team_work(actor=actor, signal_id=signal_id)


def consent_of(signal: Signal | uuid.UUID | str) -> Consent | None:
    return (
        Consent.objects.filter(signal=signal).select_related("withdrawal", "consent_text").first()
    )


def purposes_given(consent: Consent) -> dict[str, bool]:
    """What the consent gives now: granted, declared by its text, not withdrawn."""
    return consent_scope.purposes_given(consent)


def save_signal(signal: Signal, *fields: str) -> None:
    write_path.save_signal(signal, *fields)


def add_note(signal: Signal, actor: User, body: str) -> SignalNote | None:
    """A team note for a referral step's reason (erased with the signal's other notes)."""
    if not body.strip():
        return None
    return SignalNote.objects.create(signal=signal, author=actor, body=body)


def append_referral_event(
    signal: Signal, *, actor: Any, note: SignalNote | None, data: dict[str, Any]
) -> SignalEvent:
    return write_path.append_event(signal, REFERRAL_EVENT, actor=actor, note=note, data=data)


@dataclass(frozen=True)
class Disclosure:
    """What an initiatives view disclosed of one resident's data, on the signal's grounds."""

    action: str
    grounds: Grounds
    object_type: str = SIGNAL
    object_id: uuid.UUID | str = ""
    fields: Sequence[str] = ()
    details: dict[str, Any] | None = None

    def for_audit(self) -> disclosure.Disclosure:
        return disclosure.Disclosure(
            action=self.action,
            purpose=Purpose.SIGNAL_HANDLING,
            rule=self.grounds.rule,
            subject_id=self.grounds.subject_id,
            object_type=self.object_type,
            object_id=self.object_id,
            fields=tuple(self.fields),
            consent_id=self.grounds.consent_id or "",
            details={**self.grounds.details(), **(self.details or {})},
        )


class Disclosures:
    def __init__(self, entries: disclosure.AccessLogEntries) -> None:
        self._entries = entries

    def add(self, entry: Disclosure) -> None:
        self._entries.add(entry.for_audit())


@contextmanager
def logged(request: Any) -> Iterator[Disclosures]:
    """Runs the block, then writes one access-log row per disclosure it added, in the block's
    transaction: if a row cannot be written the work rolls back (fail closed, ADR 14, 22)."""
    with disclosure.access_logged(actor=request.user) as entries:
        yield Disclosures(entries)
