"""What the initiatives' reads and changes disclose of a resident's data (NEN 7513), for the
API and the workspace alike; written through initiatives.signal_bridge.logged."""

from collections.abc import Sequence
from typing import Any

from audit.models import Action
from initiatives import services
from initiatives import signal_bridge as bridge
from signals.models import Signal
from signals.personal_data import NOTE_BODY

REFERRAL = "initiatives.referral"


def suggestions_read(signal: Signal, initiative_ids: Sequence[Any]) -> bridge.Disclosure:
    """Suggestions for a signal: ranked on its needs (no personal field shown)."""
    ids = list(initiative_ids)
    return bridge.Disclosure(
        action=Action.READ,
        grounds=signal.grounds,
        object_id=signal.pk,
        details={"operation": "suggestions", "count": len(ids), "initiatives": ids},
    )


def referrals_listed(signal: Signal, count: int) -> bridge.Disclosure:
    return bridge.Disclosure(
        action=Action.LIST,
        grounds=signal.grounds,
        object_id=signal.pk,
        details={"operation": "referrals", "count": count},
    )


def referral_step_taken(result: services.StepResult, action: str, *, note: str) -> Any:
    """A referral step; a note (a proposal's note, a reason) is personal data written."""
    referral = result.referral
    return bridge.Disclosure(
        action=action,
        grounds=result.signal.grounds,
        object_type=REFERRAL,
        object_id=referral.pk,
        fields=[NOTE_BODY] if note.strip() else [],
        details={"signal_id": str(result.signal.pk), "step": referral.step},
    )


def contact_handed_over(result: services.StepResult) -> Any:
    """The contact details leaving for the initiative: an export, with its recipient."""
    fields = [f for f in services.CONTACT_FIELDS if getattr(result.signal, f)]
    return bridge.Disclosure(
        action=Action.EXPORT,
        grounds=result.signal.grounds,
        object_id=result.signal.pk,
        fields=fields,
        details={
            "operation": "referral_handover",
            "referral_id": str(result.referral.pk),
            "recipient": f"initiative:{result.referral.initiative.slug}",
        },
    )
