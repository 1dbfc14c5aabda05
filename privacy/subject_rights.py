"""Writes for data-subject requests (AVG art. 12, 17, 18): tracking requests with their
one-month due date, and the privacy officer's erasure and restriction actions. An action only
carries out an open registered request of its kind for that resident; it never makes one up
(docs/adr/0018).

Every action runs in one transaction with its SubjectRequest row and its access log rows
(audit.disclosure.access_logged, with the request's origin from the request context), so an
erasure that is not logged does not happen (fail closed). Each service checks first that its
actor is a person holding `handle_privacy_requests` (403 permission_denied, nothing read or
written), as the signal services do, whatever front end calls it; the signal changes themselves
go through the public services of the signals app, which check it again (docs/adr/0013, 0022,
0039)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from accounts.actors import require_capability
from accounts.models import User
from accounts.roles import HANDLE_PRIVACY_REQUESTS
from audit.disclosure import AccessLogEntries, Disclosure, access_logged
from audit.models import Action, Purpose
from backend.errors import DomainError
from privacy.models import SubjectRequest
from privacy.personal_data import SUBJECT_FIELDS
from privacy.rights_selectors import AUTHORISATION_RULE, subject_request_for_action
from signals import deadlines, workflow
from signals.models import Consent, Signal
from signals.services import (
    consent_withdraw,
    signal_personal_data_erase,
    signal_restrict,
    signal_restriction_lift,
)

# Codes, not the officer's text, go into signal events: events hold non-personal facts only.
ERASURE_REASON = "erasure_request"
Kind = SubjectRequest.Kind
RequestStatus = SubjectRequest.Status


def _entry(
    action: str, subject_id: Any, object_type: str, object_id: Any, **rest: Any
) -> Disclosure:
    return Disclosure(
        action=action,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        rule=AUTHORISATION_RULE,
        subject_id=subject_id,
        object_type=object_type,
        object_id=object_id,
        **rest,
    )


def _request_entry(action: str, request: SubjectRequest, **details: Any) -> Disclosure:
    return _entry(
        action,
        request.subject_id,
        "privacy.subjectrequest",
        request.pk,
        details={"kind": request.kind, "status": request.status, **details},
    )


def _require_subject(subject_id: UUID | str) -> None:
    if not Signal.objects.filter(subject_id=subject_id).exists():
        raise DomainError("unknown_subject")


def _require_reason(kind: str, reason: str) -> None:
    if kind in SubjectRequest.ACTION_KINDS and not reason.strip():
        raise DomainError("reason_required")


def subject_request_register(
    *,
    actor: User,
    kind: str,
    subject_id: UUID | str,
    received_at: datetime,
    channel: str,
    reason: str = "",
) -> SubjectRequest:
    """Registers a request received by letter, phone or in person, due one calendar month after
    receipt. Erasure and restriction requests need the stated reason.

    Side effects: an open SubjectRequest; one AccessLog row (create)."""
    require_capability(actor, HANDLE_PRIVACY_REQUESTS)
    _require_reason(kind, reason)
    with access_logged(actor=actor) as log:
        _require_subject(subject_id)
        request = SubjectRequest.objects.create(
            kind=kind,
            subject_id=subject_id,
            channel=channel,
            received_at=received_at,
            due_at=deadlines.subject_request_due(received_at),
            reason=reason.strip(),
            registered_by=actor,
        )
        log.add(_request_entry(Action.CREATE, request))
    return request


def _lock_open_request(request_id: UUID | str) -> SubjectRequest:
    request = SubjectRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise DomainError("subject_request_not_found")
    if request.status != RequestStatus.OPEN:
        raise DomainError("subject_request_closed")
    return request


def subject_request_close(
    *,
    actor: User,
    subject_request_id: UUID | str,
    status: str,
    outcome_note: str = "",
) -> SubjectRequest:
    """Closes an open request as completed (e.g. the export was sent) or refused (with the
    reasons, AVG art. 12(4)). Erasure and restriction requests are completed by their action,
    not here; they may be refused here.

    Side effects: status, handled_by, completed_at and outcome note on the request; one
    AccessLog row (update)."""
    require_capability(actor, HANDLE_PRIVACY_REQUESTS)
    if status not in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise ValueError(f"cannot close a request as {status!r}")
    if status == RequestStatus.REFUSED and not outcome_note.strip():
        raise DomainError("outcome_note_required")
    with access_logged(actor=actor) as log:
        request = _lock_open_request(subject_request_id)
        if status == RequestStatus.COMPLETED and request.kind in SubjectRequest.ACTION_KINDS:
            raise DomainError("subject_request_needs_action")
        request.status = status
        request.handled_by = actor
        request.completed_at = timezone.now()
        request.outcome_note = outcome_note.strip()
        request.save(update_fields=["status", "handled_by", "completed_at", "outcome_note"])
        log.add(_request_entry(Action.UPDATE, request))
    return request


def _complete(request: SubjectRequest, *, actor: User, reason: str, note: str) -> None:
    request.status = RequestStatus.COMPLETED
    request.handled_by = actor
    request.completed_at = timezone.now()
    request.reason = reason
    request.outcome_note = note
    request.save(update_fields=["status", "handled_by", "completed_at", "reason", "outcome_note"])


def _lock_subject_signals(subject_id: UUID | str) -> list[Signal]:
    # Ordered by primary key, so two actions on one subject lock in the same order.
    signals = list(Signal.objects.select_for_update().filter(subject_id=subject_id).order_by("pk"))
    if not signals:
        raise DomainError("unknown_subject")
    return signals


def _consent_ids(signals: list[Signal]) -> dict[Any, Any]:
    return dict(Consent.objects.filter(signal__in=signals).values_list("signal_id", "pk"))


@dataclass(frozen=True)
class _Action:
    kind: str
    nothing_to_do: str  # error code when no signal of the subject needs the action

    def needed(self, signal: Signal) -> bool:
        if self.kind == Kind.ERASURE:
            return signal.personal_data_erased_at is None
        if self.kind == Kind.RESTRICTION:
            return signal.restricted_at is None
        return signal.restricted_at is not None


ERASE = _Action(Kind.ERASURE, "subject_already_erased")
RESTRICT = _Action(Kind.RESTRICTION, "subject_already_restricted")
LIFT = _Action(Kind.RESTRICTION_LIFT, "subject_not_restricted")


def _carry_out(
    action: _Action,
    *,
    actor: User,
    subject_id: UUID | str,
    reason: str,
    subject_request_id: UUID | str | None,
    note: str,
) -> SubjectRequest:
    require_capability(actor, HANDLE_PRIVACY_REQUESTS)
    reason = reason.strip()
    _require_reason(action.kind, reason)
    with access_logged(actor=actor) as log:
        # The gate first: without the resident's registered request nothing is read or locked.
        request = subject_request_for_action(
            kind=action.kind,
            subject_id=subject_id,
            subject_request_id=subject_request_id,
            lock=True,
        )
        signals = _lock_subject_signals(subject_id)
        pending = [signal for signal in signals if action.needed(signal)]
        if not pending:
            raise DomainError(action.nothing_to_do)
        consent_ids = _consent_ids(pending)
        for signal in pending:
            _apply(action, signal, actor=actor, request=request, consent_ids=consent_ids, log=log)
        _complete(request, actor=actor, reason=reason, note=note.strip())
        log.add(_request_entry(Action.UPDATE, request, signals=len(pending)))
    return request


def _apply(
    action: _Action,
    signal: Signal,
    *,
    actor: User,
    request: SubjectRequest,
    consent_ids: dict[Any, Any],
    log: AccessLogEntries,
) -> None:
    consent_id = consent_ids.get(signal.pk, "")
    base = (signal.subject_id, "signals.signal", signal.pk)
    details: dict[str, Any] = {"subject_request_id": str(request.pk)}
    if action is ERASE:
        # Consent is the basis of the processing: a signal still in the workflow cannot go on
        # without the resident's data, so erasure withdraws the consent too (art. 17(1)(b)),
        # which stops routing and tells the team. Ended signals are only erased.
        # consent_withdraw writes its own consent_change row (docs/adr/0041).
        if signal.status not in workflow.TERMINAL:
            consent_withdraw(signal_id=signal.pk, actor=actor, reason=ERASURE_REASON)
        else:
            signal_personal_data_erase(signal_id=signal.pk, actor=actor, reason=ERASURE_REASON)
        log.add(
            _entry(
                Action.DELETE, *base, consent_id=consent_id, fields=SUBJECT_FIELDS, details=details
            )
        )
    else:
        service = signal_restrict if action is RESTRICT else signal_restriction_lift
        service(signal_id=signal.pk, actor=actor, request_id=str(request.pk))
        log.add(
            _entry(
                Action.UPDATE,
                *base,
                consent_id=consent_id,
                fields=("restricted_at",),
                details={**details, "change": action.kind},
            )
        )


def subject_erase(
    *,
    actor: User,
    subject_id: UUID | str,
    reason: str,
    subject_request_id: UUID | str | None,
    note: str = "",
) -> SubjectRequest:
    """Erases the personal data of every signal of the subject (AVG art. 17). A signal still in
    the workflow has its consent withdrawn (which erases, stops routing and tells the team);
    an ended one is erased. Carries out the open erasure request `subject_request_id` of this
    subject; without one nothing happens (`subject_request_required` and the other refusals of
    `subject_request_for_action`).

    Side effects, in one transaction: consent withdrawals and `consent_withdrawn` events (open
    signals); blanked personal fields and note bodies and `personal_data_erased` events; the
    request completed; AccessLog rows (update request, delete; the consent_change row of each
    withdrawal is consent_withdraw's own)."""
    return _carry_out(
        ERASE,
        actor=actor,
        subject_id=subject_id,
        reason=reason,
        subject_request_id=subject_request_id,
        note=note,
    )


def subject_restrict(
    *,
    actor: User,
    subject_id: UUID | str,
    reason: str,
    subject_request_id: UUID | str | None,
    note: str = "",
) -> SubjectRequest:
    """Restricts processing of every signal of the subject (AVG art. 18): team operations get
    423, routing, escalation and retention erasure pause. Carries out the open restriction
    request `subject_request_id` of this subject, and nothing without one.

    Side effects, in one transaction: `restricted_at` and `restricted` events; the request
    completed; AccessLog rows (update request, update per signal)."""
    return _carry_out(
        RESTRICT,
        actor=actor,
        subject_id=subject_id,
        reason=reason,
        subject_request_id=subject_request_id,
        note=note,
    )


def subject_restriction_lift(
    *,
    actor: User,
    subject_id: UUID | str,
    reason: str,
    subject_request_id: UUID | str | None,
    note: str = "",
) -> SubjectRequest:
    """Lifts the restriction of every restricted signal of the subject (AVG art. 18(3): tell the
    resident before lifting). Carries out the open restriction_lift request
    `subject_request_id` of this subject, and nothing without one.

    Side effects, in one transaction: `restricted_at` cleared and `restriction_lifted` events;
    routing enqueued on commit for signals still waiting for it; the request completed;
    AccessLog rows (update request, update per signal)."""
    return _carry_out(
        LIFT,
        actor=actor,
        subject_id=subject_id,
        reason=reason,
        subject_request_id=subject_request_id,
        note=note,
    )
