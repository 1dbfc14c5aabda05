"""Grounds for touching a signal, as the access log records them (NEN 7513): the authorisation
rule that let the caller in and whose data it is (the field names are in
signals.personal_data; docs/adr/0014-access-logging-and-break-glass.md)."""

import uuid
from dataclasses import dataclass
from typing import Any


class Rule:
    """Authorisation rules, as written to AccessLog.authorisation_rule."""

    TEAM_MEMBERSHIP = "team_membership"  # member of the signal's (active) team
    OBJECT_SHARE = "object_share"  # a standing django-guardian share of this one signal
    BREAK_GLASS = "break_glass"  # a time-limited break-glass grant with a typed reason
    TEAM_QUEUE = "team_queue"  # the queue: own teams' signals and standing shares
    SIGNALLER_OWN_SIGNAL = "signaller_own_signal"  # the field worker who submitted it
    SIGNALLER_WITH_CONSENT = "signaller_with_consent"  # intake, with the resident's consent
    PRIVACY_OFFICER = "privacy_officer"  # capability accounts.handle_privacy_requests


@dataclass(frozen=True)
class Grounds:
    """Why a user may touch one signal, and whose data it is."""

    rule: str
    subject_id: uuid.UUID
    consent_id: uuid.UUID | None = None
    break_glass_id: uuid.UUID | None = None

    def details(self) -> dict[str, Any]:
        if self.rule == Rule.BREAK_GLASS:
            return {"break_glass": True, "reason_id": str(self.break_glass_id)}
        return {}


def team_rule(*, via_team: bool, break_glass_id: Any) -> str:
    """Membership wins over a share; an active break-glass grant is named as such."""
    if via_team:
        return Rule.TEAM_MEMBERSHIP
    if break_glass_id:
        return Rule.BREAK_GLASS
    return Rule.OBJECT_SHARE
