"""What the initiatives' reads and changes disclose of a resident's data (NEN 7513), on the
signal's grounds (signals.disclosures.about). The selector or service that reads or changes the
data reports them to audit.disclosure.access_logged in its own transaction, for the API and the
workspace alike (docs/adr/0041)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from audit.disclosure import Disclosure
from audit.models import Action
from signals.disclosures import about
from signals.models import Signal
from signals.personal_data import NOTE_BODY

if TYPE_CHECKING:
    from initiatives.services import StepResult

REFERRAL = "initiatives.referral"
# The contact details a handover gives the initiative (initiatives.services._handover).
CONTACT_FIELDS = ("resident_first_name", "contact_phone", "contact_email")


def suggestions_read(signal: Signal, initiative_ids: Sequence[Any]) -> Disclosure:
    """Suggestions for a signal: ranked on its needs (no personal field shown)."""
    ids = list(initiative_ids)
    return about(
        signal.grounds,
        action=Action.READ,
        object_id=signal.pk,
        fields=(),
        operation="suggestions",
        count=len(ids),
        initiatives=ids,
    )


def referrals_listed(signal: Signal, count: int) -> Disclosure:
    return about(
        signal.grounds,
        action=Action.LIST,
        object_id=signal.pk,
        fields=(),
        operation="referrals",
        count=count,
    )


def referral_step_taken(result: "StepResult", action: str, *, note: str) -> Disclosure:
    """A referral step; a note (a proposal's note, a reason) is personal data written."""
    referral = result.referral
    return about(
        result.signal.grounds,
        action=action,
        object_type=REFERRAL,
        object_id=referral.pk,
        fields=[NOTE_BODY] if note.strip() else [],
        signal_id=str(result.signal.pk),
        step=referral.step,
    )


def contact_handed_over(result: "StepResult") -> Disclosure:
    """The contact details leaving for the initiative: an export, with its recipient."""
    fields = [f for f in CONTACT_FIELDS if getattr(result.signal, f)]
    return about(
        result.signal.grounds,
        action=Action.EXPORT,
        object_id=result.signal.pk,
        fields=fields,
        operation="referral_handover",
        referral_id=str(result.referral.pk),
        recipient=f"initiative:{result.referral.initiative.slug}",
    )
