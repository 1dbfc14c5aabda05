"""What initiatives does when signals tells it something, and what it answers when signals
asks (docs/adr/0020, 0026, 0037). Connected and registered in InitiativesConfig.ready."""

from collections.abc import Mapping
from typing import Any

from accounts.actors import SYSTEM
from initiatives import services
from signals import hooks, providers
from signals.models import Consent, Outcome, SignalEvent

STOPPED_BY_WITHDRAWAL = "consent_withdrawn"
STOPPED_BY_CLOSE = "signal_closed"


def on_signal_event_appended(sender: type, event: SignalEvent, **kwargs: Any) -> None:
    """Consent withdrawn: the active referral stops, in the withdrawal's transaction."""
    if event.type == SignalEvent.Type.CONSENT_WITHDRAWN:
        # The event records the system as no person (signals.write_path.append_event).
        services.referrals_stop(
            signal=event.signal, actor=event.actor or SYSTEM, because=STOPPED_BY_WITHDRAWAL
        )


def closing_links(closing: providers.Closing) -> dict[str, Any]:
    """A closing signal's active referral stops (a closed signal is never worked again); the
    referral that reached a first meeting is linked to a `connected_to_initiative` close."""
    services.referrals_stop(signal=closing.signal, actor=closing.actor, because=STOPPED_BY_CLOSE)
    if closing.outcome == Outcome.CONNECTED_TO_INITIATIVE:
        return services.closing_evidence(signal=closing.signal)
    return {}


def consent_recipients_check(consent: Consent) -> None:
    """A consent at intake names initiatives by catalogue id: an unknown one refuses it."""
    services.consent_recipients_check(consent=consent)


def connected_names(referral_ids: Mapping[Any, str]) -> dict[Any, str]:
    """Names the initiative in my/signals where the resident's consent covers it now."""
    return services.connected_names(referral_ids)


def subscribe() -> None:
    hooks.connect(on_signal_event_appended, uid="initiatives.on_signal_event_appended")
    providers.closing_links.provide(closing_links)
    providers.connected_names.provide(connected_names)
    providers.consent_recipients_check.provide(consent_recipients_check)
