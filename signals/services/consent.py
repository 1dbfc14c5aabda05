"""Consent withdrawal and the data-subject rights the privacy app calls."""

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from audit.disclosure import access_logged
from backend.errors import DomainError
from signals import disclosures, workflow
from signals.access import signal_for_rights_action, signal_for_withdrawal
from signals.models import (
    Consent,
    ConsentWithdrawal,
    Signal,
    Status,
)
from signals.personal_data import PERSONAL_FIELDS, erased_values
from signals.write_path import Event, append_event, route_later, save_signal


def _erase_personal_data(signal: Signal, *, actor: Actor, reason: str) -> None:
    now = timezone.now()
    for name, value in erased_values().items():
        setattr(signal, name, value)
    signal.personal_data_erased_at = now
    save_signal(signal, *PERSONAL_FIELDS, "personal_data_erased_at")
    signal.notes.filter(erased_at__isnull=True).update(body="", erased_at=now)
    # The events keep their rows: they hold no personal values (docs/adr/0022).
    append_event(signal, Event.PERSONAL_DATA_ERASED, actor=actor, data={"reason": reason})


def consent_withdraw(*, signal_id: UUID | str, actor: Actor, reason: str = "") -> Signal:
    """Withdraws the resident's consent, on their word, by the signaller, the signal's team or a
    privacy officer (signals.access.signal_for_withdrawal; anyone else 404): routing and
    follow-up stop, the team is told, and the personal fields are erased at once (the buurt,
    target group, reasons, urgency and dates stay for anonymous figures).

    Anyone but the signaller gives a reason (400 reason_required, nothing written).

    Side effects: ConsentWithdrawal; status `withdrawn`; `consent_withdrawn` event (notifies the
    team); personal fields and note bodies blanked; `personal_data_erased` event; one AccessLog
    row (consent_change, purpose data_subject_request: every personal field and note body
    erased, the reason written), in this transaction (docs/adr/0041)."""
    with access_logged(actor=actor) as log:
        signal = signal_for_withdrawal(actor=actor, signal_id=signal_id)
        consent = Consent.objects.select_for_update().get(signal=signal)
        if signal.status == Status.WITHDRAWN:
            raise DomainError("already_withdrawn")
        if not reason.strip() and signal.created_by_id != getattr(actor, "pk", None):
            # The signaller records the resident's own word in the app, as easily as consent
            # was given (AVG art. 7(3)); the team and the privacy officer, at a desk or through
            # the API alike, say how the withdrawal reached them (issue 18, finding 6).
            raise DomainError("reason_required")
        ConsentWithdrawal.objects.create(consent=consent, withdrawn_by=actor, reason=reason)
        from_status = signal.status
        signal.status = Status.WITHDRAWN
        signal.due_at = timezone.now()
        signal.forward_to_team = None
        save_signal(signal, "status", "due_at", "forward_to_team")
        append_event(
            signal,
            Event.CONSENT_WITHDRAWN,
            actor=actor,
            from_status=from_status,
            to_status=Status.WITHDRAWN,
            data={"consent_id": str(consent.pk)},
        )
        _erase_personal_data(signal, actor=actor, reason="consent_withdrawn")
        log.add(disclosures.consent_withdrawn(signal, reason=reason))
    return signal


def signal_personal_data_erase(*, signal_id: UUID | str, actor: Actor, reason: str) -> Signal:
    """Erases the resident's personal fields and note bodies (AVG art. 17, retention), keeping
    the non-personal facts for anonymous figures. By a privacy officer or the system
    (retention); anyone else 403. Idempotent: an erased signal is left alone.

    Side effects: blanked fields, `personal_data_erased_at`, note bodies; a
    `personal_data_erased` event."""
    with transaction.atomic():
        signal = signal_for_rights_action(actor=actor, signal_id=signal_id, system_allowed=True)
        if signal.personal_data_erased_at is None:
            _erase_personal_data(signal, actor=actor, reason=reason)
    return signal


def signal_restrict(*, signal_id: UUID | str, actor: Actor, request_id: str = "") -> Signal:
    """Restricts processing (AVG art. 18), by a privacy officer (anyone else 403): every team
    operation now gets 423, routing and escalation skip the signal.

    Side effects: `restricted_at` and version; a `restricted` event."""
    with transaction.atomic():
        signal = signal_for_rights_action(actor=actor, signal_id=signal_id)
        if signal.restricted_at is None:
            signal.restricted_at = timezone.now()
            save_signal(signal, "restricted_at")
            append_event(
                signal, Event.RESTRICTED, actor=actor, data={"subject_request_id": request_id}
            )
    return signal


def signal_restriction_lift(*, signal_id: UUID | str, actor: Actor, request_id: str = "") -> Signal:
    """Lifts a restriction, by a privacy officer (anyone else 403).

    Side effects: `restricted_at` cleared and version; a `restriction_lifted` event; a signal
    still waiting for routing is routed on commit."""
    with transaction.atomic():
        signal = signal_for_rights_action(actor=actor, signal_id=signal_id)
        if signal.restricted_at is not None:
            signal.restricted_at = None
            save_signal(signal, "restricted_at")
            append_event(
                signal,
                Event.RESTRICTION_LIFTED,
                actor=actor,
                data={"subject_request_id": request_id},
            )
            if signal.status in workflow.ROUTABLE:
                route_later(signal)
    return signal
