"""Consent withdrawal and the data-subject rights the privacy app calls."""

import logging
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from backend.errors import DomainError
from signals import workflow
from signals.models import (
    Consent,
    ConsentWithdrawal,
    Signal,
    Status,
)
from signals.services._core import (
    Event,
    _append_event,
    _erase_personal_data,
    _lock,
    _route_later,
    _save,
)

logger = logging.getLogger(__name__)


def consent_withdraw(*, signal_id: UUID | str, actor: User, reason: str = "") -> Signal:
    """Withdraws the resident's consent: routing and follow-up stop, the team is told, and the
    personal fields are erased at once (the buurt, target group, reasons, urgency and dates stay
    for anonymous figures).

    Side effects: ConsentWithdrawal; status `withdrawn`; `consent_withdrawn` event (notifies the
    team); personal fields and note bodies blanked; `personal_data_erased` event."""
    with transaction.atomic():
        # Withdrawal is the resident's right and only reduces processing: allowed under
        # restriction (AVG art. 18(2)).
        signal = _lock(signal_id, allow_restricted=True)
        consent = Consent.objects.select_for_update().get(signal=signal)
        if signal.status == Status.WITHDRAWN:
            raise DomainError("already_withdrawn")
        ConsentWithdrawal.objects.create(consent=consent, withdrawn_by=actor, reason=reason)
        from_status = signal.status
        signal.status = Status.WITHDRAWN
        signal.due_at = timezone.now()
        signal.forward_to_team = None
        _save(signal, "status", "due_at", "forward_to_team")
        _append_event(
            signal,
            Event.CONSENT_WITHDRAWN,
            actor=actor,
            from_status=from_status,
            to_status=Status.WITHDRAWN,
            data={"consent_id": str(consent.pk)},
        )
        _erase_personal_data(signal, actor=actor, reason="consent_withdrawn")
    return signal


def signal_personal_data_erase(*, signal_id: UUID | str, actor: User | None, reason: str) -> Signal:
    """Erases the resident's personal fields and note bodies (AVG art. 17, retention), keeping
    the non-personal facts for anonymous figures. Idempotent: an erased signal is left alone.

    Side effects: blanked fields, `personal_data_erased_at`, note bodies; a
    `personal_data_erased` event."""
    with transaction.atomic():
        signal = _lock(signal_id, allow_restricted=True)
        if signal.personal_data_erased_at is None:
            _erase_personal_data(signal, actor=actor, reason=reason)
    return signal


def signal_restrict(*, signal_id: UUID | str, actor: User, request_id: str = "") -> Signal:
    """Restricts processing (AVG art. 18): every team operation now gets 423, routing and
    escalation skip the signal. Side effects: `restricted_at`; a `restricted` event."""
    with transaction.atomic():
        signal = _lock(signal_id, allow_restricted=True)
        if signal.restricted_at is None:
            signal.restricted_at = timezone.now()
            _save(signal, "restricted_at")
            _append_event(
                signal, Event.RESTRICTED, actor=actor, data={"subject_request_id": request_id}
            )
    return signal


def signal_restriction_lift(*, signal_id: UUID | str, actor: User, request_id: str = "") -> Signal:
    """Lifts a restriction. Side effects: `restricted_at` cleared; a `restriction_lifted`
    event; a signal still waiting for routing is routed on commit."""
    with transaction.atomic():
        signal = _lock(signal_id, allow_restricted=True)
        if signal.restricted_at is not None:
            signal.restricted_at = None
            _save(signal, "restricted_at")
            _append_event(
                signal,
                Event.RESTRICTION_LIFTED,
                actor=actor,
                data={"subject_request_id": request_id},
            )
            if signal.status in workflow.ROUTABLE:
                _route_later(signal)
    return signal
