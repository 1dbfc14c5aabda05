"""May a resident's contact details go to this initiative? Pure: the recorded consent's
purposes and recipients in, an answer naming what is missing out (docs/adr/0026).

Intake records a recipient `initiative:<name>` for each initiative the resident agreed to; the
name may be the initiative's slug or its name (any case). `initiative:any` stands for "any
initiative the team picks"."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from signals.models import ConsentPurpose

SHARE_WITH_INITIATIVE = ConsentPurpose.SHARE_WITH_INITIATIVE

RECIPIENT_PREFIX = "initiative:"
ANY_INITIATIVE = "any"


@dataclass(frozen=True)
class Gate:
    allowed: bool
    missing_purpose: str = ""
    missing_recipient: str = ""
    withdrawn: bool = False

    def as_details(self) -> dict[str, object]:
        """What the API shows: never the recorded recipients of other initiatives."""
        return {
            "share_allowed": self.allowed,
            "missing_purpose": self.missing_purpose or None,
            "missing_recipient": self.missing_recipient or None,
            "consent_withdrawn": self.withdrawn,
        }


def name_key(name: str) -> str:
    """How a recorded recipient and a catalogue name compare: trimmed, case folded."""
    return name.strip().casefold()


def recipient_for(slug: str) -> str:
    return f"{RECIPIENT_PREFIX}{slug}"


def check(
    *,
    purposes: Mapping[str, bool],
    recipients: Iterable[str],
    withdrawn: bool,
    slug: str,
    name: str,
) -> Gate:
    """`name` is the initiative's name, or "" where the name does not identify it (another
    entry carries the same name): then only its slug or "any" covers it."""
    if withdrawn:
        return Gate(allowed=False, missing_purpose=SHARE_WITH_INITIATIVE, withdrawn=True)
    if not purposes.get(SHARE_WITH_INITIATIVE):
        return Gate(
            allowed=False,
            missing_purpose=SHARE_WITH_INITIATIVE,
            missing_recipient=recipient_for(slug),
        )
    named = {
        name_key(r[len(RECIPIENT_PREFIX) :]) for r in recipients if r.startswith(RECIPIENT_PREFIX)
    }
    covering = {ANY_INITIATIVE, slug.casefold(), name_key(name)} - {""}
    if named & covering:
        return Gate(allowed=True)
    return Gate(allowed=False, missing_recipient=recipient_for(slug))
