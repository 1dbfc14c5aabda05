"""What initiatives does when signals tells it something (docs/adr/0020, 0026)."""

from initiatives import services
from signals import hooks
from signals.models import Consent, Outcome, SignalEvent

STOPPED_BY_WITHDRAWAL = "consent_withdrawn"
STOPPED_BY_CLOSE = "signal_closed"


def on_signal_event_appended(event: SignalEvent) -> None:
    """Consent withdrawn: the active referral stops, in the withdrawal's transaction."""
    if event.type == SignalEvent.Type.CONSENT_WITHDRAWN:
        services.referrals_stop(
            signal=event.signal, actor=event.actor, because=STOPPED_BY_WITHDRAWAL
        )


def on_signal_closing(closing: hooks.Closing) -> None:
    """A closing signal's active referral stops (a closed signal is never worked again); the
    referral that reached a first meeting is linked to a `connected_to_initiative` close."""
    services.referrals_stop(signal=closing.signal, actor=closing.actor, because=STOPPED_BY_CLOSE)
    if closing.outcome == Outcome.CONNECTED_TO_INITIATIVE:
        closing.links.update(services.closing_evidence(signal=closing.signal))


def on_consent_recorded(consent: Consent) -> None:
    """A consent at intake names initiatives by catalogue id: an unknown one refuses it."""
    services.consent_recipients_check(consent=consent)


def on_connected_names(question: hooks.ConnectedNames) -> None:
    """Names the initiative in my/signals where the resident's consent covers it now."""
    question.names.update(services.connected_names(question.referral_ids))


def subscribe() -> None:
    hooks.event_appended.subscribe(on_signal_event_appended)
    hooks.closing.subscribe(on_signal_closing)
    hooks.connected_names.subscribe(on_connected_names)
    hooks.consent_recorded.subscribe(on_consent_recorded)
