"""Intake: a consented signal from a field worker, idempotent per client_uuid."""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from accounts.models import User
from backend.errors import DomainError
from signals.models import (
    Consent,
    ConsentText,
    ReasonCode,
    Signal,
    Status,
)
from signals.services._core import (
    Event,
    _append_event,
    _route_later,
    fingerprint,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntakeResult:
    signal: Signal
    created: bool


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
    # The order of reason codes carries no meaning: a retry that lists them differently is
    # the same signal.
    body_hash = fingerprint({**data, "reasons": sorted(data.get("reasons", []))})
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
