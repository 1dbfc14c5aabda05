"""What a recorded consent gives, purpose by purpose (docs/adr/0032). A purpose counts as
given only where the resident granted it and the text they were shown declares it: a consent
recorded under a text that never said what happens for a purpose gives nothing for it, whatever
was ticked, until new consent is recorded. Withdrawn consent gives nothing at all."""

from collections.abc import Mapping
from typing import Any

from signals.models import Consent, ConsentText

# The recipients a consent records (Consent.recipients): the team, and initiatives by catalogue
# id or ANY, "any initiative the team picks with the resident"; never a name.
TEAM_RECIPIENT = "neighbourhood_team"
INITIATIVE_PREFIX = "initiative:"
ANY = "any"


def initiative_recipient(initiative: Any) -> str:
    """The recipient for a catalogue id, or for ANY."""
    return f"{INITIATIVE_PREFIX}{initiative}"


def undeclared(purposes: Mapping[str, bool], text: ConsentText) -> list[str]:
    """The purposes granted that `text` does not declare, in a stable order."""
    declared = set(text.purposes)
    granted = (str(code) for code, given in purposes.items() if given)
    return sorted(code for code in granted if code not in declared)


def purposes_given(consent: Consent) -> dict[str, bool]:
    """Purpose code to whether the consent gives it now (loads `consent_text` if not joined)."""
    withdrawn = hasattr(consent, "withdrawal")
    declared = set(consent.consent_text.purposes)
    return {
        str(code): bool(granted) and code in declared and not withdrawn
        for code, granted in consent.purposes.items()
    }


def purpose_given(consent: Consent | None, purpose: str) -> bool:
    return consent is not None and purposes_given(consent).get(purpose, False)
