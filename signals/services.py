"""Every change to a signal goes through here: lock the row, check the transition table and the
optimistic version, append a SignalEvent in the same transaction, enqueue follow-ups on commit."""

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Team, TeamMembership, User
from backend.enqueue import enqueue_on_commit
from backend.errors import DomainError
from notifications.services import signal_event_notify
from signals import routing, workflow
from signals.deadlines import deadline
from signals.models import (
    BreakGlassAccess,
    Consent,
    ConsentText,
    ConsentWithdrawal,
    DeadlinePolicy,
    ReasonCode,
    Signal,
    SignalEvent,
    SignalNote,
    SignalUserObjectPermission,
    Status,
)

logger = logging.getLogger(__name__)
Event = SignalEvent.Type

PERSONAL_FIELDS = (
    "resident_first_name",
    "contact_phone",
    "contact_email",
    "postcode",
    "house_number",
    "house_number_addition",
    "observation",
)


@dataclass(frozen=True)
class IntakeResult:
    signal: Signal
    created: bool


def fingerprint(payload: dict[str, Any]) -> str:
    """Stable hash of a validated intake body, to tell a retry from a different signal."""
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _append_event(
    signal: Signal,
    event_type: str,
    *,
    actor: User | None = None,
    from_status: str = "",
    to_status: str = "",
    note: SignalNote | None = None,
    data: dict[str, Any] | None = None,
) -> SignalEvent:
    event = SignalEvent.objects.create(
        signal=signal,
        type=event_type,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
    signal_event_notify(event=event)
    return event


def _lock(signal_id: UUID | str, *, allow_restricted: bool = False) -> Signal:
    signal = Signal.objects.select_for_update().get(pk=signal_id)
    if signal.restricted_at and not allow_restricted:
        raise DomainError("processing_restricted")
    return signal


def _check_version(signal: Signal, expected: int | None) -> None:
    if expected is not None and expected != signal.version:
        raise DomainError("version_conflict", details={"current_version": signal.version})


def _save(signal: Signal, *fields: str) -> None:
    signal.version += 1
    signal.save(update_fields=[*fields, "version", "updated_at"])


def _route_later(signal: Signal) -> None:
    from signals.tasks import route_signal

    enqueue_on_commit(route_signal, str(signal.pk))


# --- intake ------------------------------------------------------------------------------------


def _resolve_consent_text(consent: dict[str, Any]) -> ConsentText:
    text = ConsentText.objects.filter(pk=consent["consent_text_id"], is_active=True).first()
    if text is None:
        raise DomainError("unknown_consent_text")
    if consent.get("consent_text_sha256") and consent["consent_text_sha256"] != text.sha256:
        raise DomainError("consent_text_mismatch")
    return text


def _resolve_reasons(codes: list[str]) -> list[ReasonCode]:
    reasons = list(ReasonCode.objects.filter(code__in=codes, is_active=True))
    unknown = sorted(set(codes) - {r.code for r in reasons})
    if unknown:
        raise DomainError(
            "unknown_reason_code", codes=", ".join(unknown), details={"unknown": unknown}
        )
    return reasons


def signal_create(*, user: User, data: dict[str, Any]) -> IntakeResult:
    """Accepts a consented signal from a field worker. A repeat with the same client_uuid and
    body returns the existing signal; with another body it is refused.

    Side effects: Signal, Consent and a `created` event in one transaction; on commit the routing
    task is enqueued (if the broker is down the sweeper routes it later)."""
    consent_data = data["consent"]
    if not consent_data["purposes"].get("team_contact"):
        raise DomainError("consent_required")
    body_hash = fingerprint(data)
    existing = Signal.objects.filter(created_by=user, client_uuid=data["client_uuid"]).first()
    if existing is not None:
        return _repeat(existing, body_hash)
    consent_text = _resolve_consent_text(consent_data)
    reasons = _resolve_reasons(data.get("reasons", []))
    resident, address = data["resident"], data["address"]
    try:
        with transaction.atomic():
            signal = Signal.objects.create(
                client_uuid=data["client_uuid"],
                request_fingerprint=body_hash,
                created_by=user,
                source_organisation=user.organisation,
                resident_first_name=resident["first_name"],
                contact_phone=resident.get("phone", ""),
                contact_email=resident.get("email", ""),
                postcode=address["postcode"],
                house_number=address["house_number"],
                house_number_addition=address.get("addition", ""),
                preferred_language=data.get("preferred_language", ""),
                target_group=data["target_group"],
                urgency=data.get("urgency", "normal"),
                observation=data.get("observation", ""),
            )
            signal.reasons.set(reasons)
            Consent.objects.create(
                signal=signal,
                given_by=consent_data["given_by"],
                representative_relation=consent_data.get("representative_relation", ""),
                recorded_by=user,
                given_at=consent_data["given_at"],
                method=consent_data["method"],
                purposes=consent_data["purposes"],
                recipients=consent_data["recipients"],
                consent_text=consent_text,
                consent_text_sha256=consent_text.sha256,
            )
            _append_event(signal, Event.CREATED, actor=user, to_status=Status.RECEIVED)
            _route_later(signal)
    except IntegrityError:
        # A concurrent retry of the same submission won the race on (created_by, client_uuid).
        existing = Signal.objects.filter(created_by=user, client_uuid=data["client_uuid"]).first()
        if existing is None:
            raise
        return _repeat(existing, body_hash)
    return IntakeResult(signal=signal, created=True)


def _repeat(existing: Signal, body_hash: str) -> IntakeResult:
    if existing.request_fingerprint != body_hash:
        raise DomainError("client_uuid_conflict")
    return IntakeResult(signal=existing, created=False)


# --- routing -----------------------------------------------------------------------------------


def _deadlines_from(signal: Signal, start: Any) -> None:
    policy = DeadlinePolicy.objects.filter(urgency=signal.urgency).first()
    if policy is None:  # admins deleted it: fall back to calendar hours of the normal defaults
        signal.acknowledge_due_at = start + timedelta(hours=24)
        signal.first_contact_due_at = start + timedelta(hours=72)
        return
    signal.acknowledge_due_at = deadline(
        start, policy.acknowledge_within_hours, working_hours=policy.working_hours
    )
    signal.first_contact_due_at = deadline(
        start, policy.first_contact_within_hours, working_hours=policy.working_hours
    )


def signal_route(*, signal_id: UUID | str) -> Signal | None:
    """Routes a received or forwarded signal to a team. Idempotent: anything else returns as is.

    Side effects: team, deadlines and status on the signal; a `routed` event (which notifies the
    team); or a `routing_failed` event when no team and no central team exists."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update().filter(pk=signal_id).first()
        if signal is None or signal.status not in workflow.ROUTABLE or signal.restricted_at:
            return signal
        forwarded = signal.status == Status.FORWARDED
        if forwarded:
            decision = routing.RouteDecision(
                signal.forward_to_team, "forwarded", signal.neighbourhood, signal.mapping_version
            )
        else:
            decision = routing.decide(signal)
        if decision.team is None:
            last = signal.events.order_by("-created_at", "-id").first()
            if last is None or last.type != Event.ROUTING_FAILED:
                _append_event(signal, Event.ROUTING_FAILED, data={"reason": decision.reason})
            logger.error(
                "no team to route to; configure a central team",
                extra={"signal_id": str(signal.pk), "reason": decision.reason},
            )
            return signal
        now = timezone.now()
        from_status = signal.status
        signal.team = decision.team
        signal.neighbourhood = decision.neighbourhood
        signal.mapping_version = decision.mapping_version
        signal.routing_rule = decision.rule
        signal.forward_to_team = None
        signal.assigned_to = None
        signal.escalated_at = None
        signal.routed_at = now
        signal.status = Status.ROUTED
        _deadlines_from(signal, now)
        signal.due_at = signal.acknowledge_due_at
        _save(
            signal,
            "team",
            "neighbourhood",
            "mapping_version",
            "routing_rule",
            "forward_to_team",
            "assigned_to",
            "escalated_at",
            "routed_at",
            "status",
            "acknowledge_due_at",
            "first_contact_due_at",
            "due_at",
        )
        _append_event(
            signal,
            Event.ROUTED,
            from_status=from_status,
            to_status=Status.ROUTED,
            data={
                "team_id": str(decision.team.pk),
                "reason": decision.reason,
                "rule_id": decision.rule.pk if decision.rule else None,
                "forwarded": forwarded,
            },
        )
    return signal


# --- workflow ----------------------------------------------------------------------------------


def _review_date(now: Any) -> Any:
    return now + timedelta(days=settings.FOLLOW_UP_REVIEW_DAYS)


def _note(
    signal: Signal, author: User, body: str, corrects: SignalNote | None = None
) -> SignalNote | None:
    if not body:
        return None
    return SignalNote.objects.create(signal=signal, author=author, body=body, corrects=corrects)


def signal_transition(
    *,
    signal_id: UUID | str,
    actor: User,
    to_status: str,
    expected_version: int | None,
    note: str = "",
    outcome: str = "",
) -> Signal:
    """Moves a signal along the transition table (acknowledge, contacted, follow-up, close,
    decline). Closing needs an outcome, declining a reason (the note).

    Side effects: status, deadlines and version; an optional SignalNote; a `transitioned` event
    (acknowledgement notifies the signaller)."""
    with transaction.atomic():
        signal = _lock(signal_id)
        _check_version(signal, expected_version)
        if not workflow.is_allowed(signal.status, to_status):
            raise DomainError(
                "illegal_transition",
                status=signal.status,
                details={"status": signal.status, "allowed": workflow.allowed_from(signal.status)},
            )
        if to_status == Status.CLOSED and not outcome:
            raise DomainError("outcome_required")
        if to_status == Status.DECLINED and not note.strip():
            raise DomainError("reason_required")
        now = timezone.now()
        from_status = signal.status
        signal.status = to_status
        fields = ["status", "due_at"]
        if to_status == Status.ACKNOWLEDGED:
            signal.due_at = signal.first_contact_due_at or _review_date(now)
        elif to_status in (Status.CONTACTED, Status.IN_FOLLOW_UP):
            signal.due_at = _review_date(now)
        elif to_status in (Status.CLOSED, Status.DECLINED):
            signal.due_at = now
            signal.closed_at = now
            signal.outcome = outcome if to_status == Status.CLOSED else ""
            fields += ["closed_at", "outcome"]
        _save(signal, *fields)
        data = {"outcome": outcome} if outcome else {}
        _append_event(
            signal,
            Event.TRANSITIONED,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            note=_note(signal, actor, note),
            data=data,
        )
    return signal


def _membership(user: User, team_id: Any) -> TeamMembership | None:
    return TeamMembership.objects.filter(user=user, team_id=team_id).first()


def _require_coordinator(actor: User, signal: Signal) -> None:
    membership = _membership(actor, signal.team_id)
    if (
        membership is None
        or membership.role != TeamMembership.Role.COORDINATOR
        or not actor.has_perm("accounts.coordinate_team")
    ):
        raise DomainError("coordinator_required")


def signal_assign(
    *,
    signal_id: UUID | str,
    actor: User,
    assignee_id: UUID | str | None,
    expected_version: int | None,
) -> Signal:
    """Claims a signal (no assignee, or oneself) or, for a coordinator, assigns it to a member of
    the signal's team.

    Side effects: assigned_to and version; an `assigned` event (notifies the assignee)."""
    with transaction.atomic():
        signal = _lock(signal_id)
        _check_version(signal, expected_version)
        if signal.status not in workflow.OPEN_FOR_TEAM:
            raise DomainError(
                "illegal_transition",
                status=signal.status,
                details={"status": signal.status, "allowed": []},
            )
        target_id = assignee_id or actor.pk
        if str(target_id) != str(actor.pk):
            _require_coordinator(actor, signal)
        assignee = User.objects.filter(pk=target_id, is_active=True).first()
        if assignee is None or _membership(assignee, signal.team_id) is None:
            raise DomainError("not_a_team_member")
        if signal.assigned_to_id == assignee.pk:
            return signal
        signal.assigned_to = assignee
        _save(signal, "assigned_to")
        _append_event(signal, Event.ASSIGNED, actor=actor, data={"assignee_id": str(assignee.pk)})
    return signal


def signal_forward(
    *,
    signal_id: UUID | str,
    actor: User,
    team_id: UUID | str,
    expected_version: int | None,
    reason: str,
) -> Signal:
    """A coordinator sends the signal to another team; it is routed again to that team.

    Side effects: status `forwarded` and version; a SignalNote with the reason; a `forwarded`
    event; on commit the routing task (which appends `routed` and notifies the new team)."""
    with transaction.atomic():
        signal = _lock(signal_id)
        _check_version(signal, expected_version)
        _require_coordinator(actor, signal)
        if signal.status not in workflow.FORWARDABLE:
            raise DomainError(
                "illegal_transition",
                status=signal.status,
                details={"status": signal.status, "allowed": workflow.allowed_from(signal.status)},
            )
        if not reason.strip():
            raise DomainError("reason_required")
        target = Team.objects.filter(pk=team_id, is_active=True).first()
        if target is None or target.pk == signal.team_id:
            raise DomainError("invalid_forward_target")
        from_status = signal.status
        signal.status = Status.FORWARDED
        signal.forward_to_team = target
        _save(signal, "status", "forward_to_team")
        _append_event(
            signal,
            Event.FORWARDED,
            actor=actor,
            from_status=from_status,
            to_status=Status.FORWARDED,
            note=_note(signal, actor, reason),
            data={"from_team_id": str(signal.team_id), "to_team_id": str(target.pk)},
        )
        _route_later(signal)
    return signal


def signal_note_add(
    *, signal_id: UUID | str, actor: User, body: str, corrects_id: UUID | str | None = None
) -> SignalNote:
    """Appends a team note; a correction refers to the note it corrects.

    Side effects: a SignalNote and a `note_added` event."""
    with transaction.atomic():
        signal = _lock(signal_id)
        corrects = None
        if corrects_id:
            corrects = SignalNote.objects.filter(pk=corrects_id, signal=signal).first()
            if corrects is None:
                raise DomainError("unknown_note")
        note = _note(signal, actor, body, corrects)
        assert note is not None  # the serializer refuses an empty body
        _append_event(
            signal,
            Event.NOTE_ADDED,
            actor=actor,
            note=note,
            data={"corrects": str(corrects.pk) if corrects else None},
        )
    return note


def _erase_personal_data(signal: Signal, *, actor: User | None, reason: str) -> None:
    now = timezone.now()
    signal.resident_first_name = ""
    signal.contact_phone = ""
    signal.contact_email = ""
    signal.postcode = ""
    signal.house_number = None
    signal.house_number_addition = ""
    signal.observation = ""
    signal.personal_data_erased_at = now
    _save(signal, *PERSONAL_FIELDS, "personal_data_erased_at")
    signal.notes.filter(erased_at__isnull=True).update(body="", erased_at=now)
    _append_event(signal, Event.PERSONAL_DATA_ERASED, actor=actor, data={"reason": reason})


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


def signal_escalate(*, signal_id: UUID | str) -> bool:
    """Escalates a routed signal past its acknowledgement deadline to the team's coordinators,
    once. Returns whether it escalated now.

    Side effects: escalated_at; an `escalated` event (notifies the coordinators)."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update().filter(pk=signal_id).first()
        now = timezone.now()
        if (
            signal is None
            or signal.restricted_at
            or signal.status != Status.ROUTED
            or signal.escalated_at
            or signal.acknowledge_due_at is None
            or signal.acknowledge_due_at > now
        ):
            return False
        signal.escalated_at = now
        signal.save(update_fields=["escalated_at", "updated_at"])
        _append_event(
            signal,
            Event.ESCALATED,
            data={
                "team_id": str(signal.team_id),
                "acknowledge_due_at": signal.acknowledge_due_at.isoformat(),
            },
        )
    return True


# --- data-subject rights (called by the privacy app) -----------------------------------------


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


# --- break-glass ---------------------------------------------------------------------------


def _break_glass_eligible(signal: Signal) -> bool:
    """Only a signal a team works on, with its data still there and not restricted: a withdrawn
    or erased signal has nothing left to read, and a restricted one is for audit only."""
    return (
        signal.team_id is not None
        and signal.status != Status.WITHDRAWN
        and signal.personal_data_erased_at is None
        and signal.restricted_at is None
    )


def signal_break_glass_open(*, signal_id: UUID | str, actor: User, reason: str) -> BreakGlassAccess:
    """Opens one signal outside the actor's teams for reading, for BREAK_GLASS_HOURS, on a typed
    reason. The caller checks the `signals.break_glass_signal` permission and writes the access
    log row in the same transaction. Opening again records a new reason and extends the grant.

    Raises Signal.DoesNotExist (404) for a missing or ineligible signal, and
    break_glass_not_needed when the actor can already open it as team work.

    Side effects: a BreakGlassAccess row; a view_signal SignalUserObjectPermission (django-
    guardian) with `expires_at`, created or extended."""
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required")
    with transaction.atomic():
        signal = Signal.objects.select_for_update().filter(pk=signal_id).first()
        if signal is None or not _break_glass_eligible(signal):
            raise Signal.DoesNotExist
        if Signal.objects.visible_to(actor, break_glass=False).filter(pk=signal.pk).exists():
            raise DomainError("break_glass_not_needed")
        now = timezone.now()
        expires_at = now + timedelta(hours=settings.BREAK_GLASS_HOURS)
        access = BreakGlassAccess.objects.create(
            user=actor, signal=signal, reason=reason, opened_at=now, expires_at=expires_at
        )
        permission = Permission.objects.get(
            content_type__app_label="signals", codename="view_signal"
        )
        grant, created = SignalUserObjectPermission.objects.select_for_update().get_or_create(
            user=actor,
            permission=permission,
            content_object=signal,
            defaults={"expires_at": expires_at},
        )
        if not created and grant.expires_at is not None and grant.expires_at < expires_at:
            grant.expires_at = expires_at
            grant.save(update_fields=["expires_at"])
    return access


def break_glass_grants_expire(*, now: Any = None) -> int:
    """Deletes break-glass object permissions past their expiry, so django-guardian's own checks
    (and the admin) agree with `visible_to`, which already ignores them. The BreakGlassAccess
    register stays. Returns how many grants it removed.

    Side effects: deletes SignalUserObjectPermission rows with `expires_at` in the past."""
    now = now or timezone.now()
    deleted, _ = SignalUserObjectPermission.objects.filter(expires_at__lte=now).delete()
    return deleted
