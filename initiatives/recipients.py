"""Recipients by catalogue identity (docs/adr/0032). A consent names an initiative as
`initiative:<catalogue id>`, or `initiative:any`; nothing compares names.

`resolve_recorded` turns the free-text recipients recorded before that (`initiative:<slug or
name>`) into identities, once, in migration 0005. A recorded name becomes an identity only
where exactly one catalogue entry matches it exactly: its slug or its name equal to the
recorded text code point for code point (no trimming, no case folding, no Unicode
normalisation). `Straße` matches neither `Strasse` nor `STRASSE`; a text that is one entry's
slug and another entry's name matches two and so neither. Everything else covers no one."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from signals.consent_scope import ANY, INITIATIVE_PREFIX, initiative_recipient

PREFIX = INITIATIVE_PREFIX
ANY_INITIATIVE = initiative_recipient(ANY)


def recipient_for(initiative_id: Any) -> str:
    """The recipient a consent records for one catalogue entry."""
    return initiative_recipient(initiative_id)


@dataclass(frozen=True)
class Entry:
    id: Any
    slug: str
    name: str


@dataclass
class Resolved:
    recipients: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def resolve_recorded(recorded: Sequence[str], catalogue: Iterable[Entry]) -> Resolved:
    """The identities for a consent's recorded recipients, and the names that matched no
    single entry exactly (kept as recorded, covering no one)."""
    entries = list(catalogue)
    resolved = Resolved()
    for recipient in recorded:
        if not recipient.startswith(PREFIX) or recipient == ANY_INITIATIVE:
            _add(resolved.recipients, recipient)
            continue
        text = recipient.removeprefix(PREFIX)
        matches = {entry.id for entry in entries if text in (entry.slug, entry.name)}
        if len(matches) == 1:
            _add(resolved.recipients, recipient_for(matches.pop()))
        else:
            _add(resolved.unresolved, text)
    return resolved


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
