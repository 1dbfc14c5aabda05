"""What initiatives does when signals tells it something (docs/adr/0020, 0026)."""

from initiatives import services
from signals import hooks
from signals.models import Outcome, SignalEvent


def on_signal_event_appended(event: SignalEvent) -> None:
    """Consent withdrawn: the active referral stops, in the withdrawal's transaction."""
    if event.type == SignalEvent.Type.CONSENT_WITHDRAWN:
        services.referrals_stop(signal=event.signal, actor=event.actor)


def on_signal_closing(closing: hooks.Closing) -> None:
    """Links the referral that reached a first meeting to a `connected_to_initiative` close."""
    if closing.outcome == Outcome.CONNECTED_TO_INITIATIVE:
        closing.links.update(services.closing_evidence(signal=closing.signal))


def subscribe() -> None:
    hooks.event_appended.subscribe(on_signal_event_appended)
    hooks.closing.subscribe(on_signal_closing)
