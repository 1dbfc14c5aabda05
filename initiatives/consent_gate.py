"""May a resident's contact details go to this initiative? Pure: what the recorded consent
gives (signals.consent_scope: granted and declared by its text, not withdrawn) and its
recipients in, an answer naming what is missing out (docs/adr/0026, 0032).

A consent names an initiative by catalogue identity, `initiative:<id>`, or `initiative:any`
for "any initiative the team picks with the resident" (initiatives.recipients). Nothing
compares names: an entry is covered by its own id or by "any", never by another entry's
name or slug."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from initiatives.recipients import ANY_INITIATIVE, recipient_for
from signals.models import ConsentPurpose

SHARE_WITH_INITIATIVE = ConsentPurpose.SHARE_WITH_INITIATIVE


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


def check(
    *,
    given: Mapping[str, bool],
    recipients: Iterable[str],
    withdrawn: bool,
    initiative_id: Any,
) -> Gate:
    """`given`: purpose code to whether the consent gives it now (signals.consent_scope)."""
    if withdrawn:
        return Gate(allowed=False, missing_purpose=SHARE_WITH_INITIATIVE, withdrawn=True)
    recipient = recipient_for(initiative_id)
    if not given.get(SHARE_WITH_INITIATIVE):
        return Gate(
            allowed=False, missing_purpose=SHARE_WITH_INITIATIVE, missing_recipient=recipient
        )
    if {ANY_INITIATIVE, recipient} & set(recipients):
        return Gate(allowed=True)
    return Gate(allowed=False, missing_recipient=recipient)
