"""What an initiatives view disclosed of a resident's data, reported to
audit.disclosure.access_logged on the signal's grounds (docs/adr/0014, 0026). Services load a
signal through signals.access and change it through signals.write_path directly: this module
passes nothing through (docs/adr/0037)."""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from audit import disclosure
from audit.models import Purpose
from signals.grounds import Grounds

SIGNAL = "signals.signal"


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
