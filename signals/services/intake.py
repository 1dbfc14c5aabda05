"""Intake: a consented signal from a field worker, idempotent per client_uuid.

`signal_create` takes an `IntakeInput`, whoever parsed it (the API serializer, the demo loader,
a test): the rules of intake (consent for team contact, consent age, a representative's
relation, the purposes its text declares, the recipients the consent covers) are checked here,
once. Initiatives are named by catalogue id or "any" (docs/adr/0032); the initiatives app
checks the ids against its catalogue when the consent is recorded (signals.hooks)."""

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, require_capability
from accounts.roles import SUBMIT_SIGNAL
from audit.disclosure import access_logged
from backend.errors import DomainError, invalid_field
from signals import disclosures, providers
from signals.consent_scope import ANY, TEAM_RECIPIENT, initiative_recipient, undeclared
from signals.models import (
    Consent,
    ConsentPurpose,
    ConsentText,
    ReasonCode,
    Signal,
    Status,
    Urgency,
)
from signals.write_path import Event, append_event, route_later

# Consent is recorded on the spot: a little clock skew, at most a month of paper in a drawer.
CONSENT_CLOCK_SKEW = timedelta(minutes=10)
CONSENT_MAX_AGE = timedelta(days=30)


@dataclass(frozen=True)
class IntakeConsent:
    """The resident's consent as the signaller recorded it. `purposes` names those granted;
    `initiatives` holds catalogue ids (as text) or "any"."""

    given_by: str
    method: str
    given_at: datetime
    purposes: frozenset[ConsentPurpose]
    consent_text_id: int
    consent_text_sha256: str = ""
    representative_relation: str = ""
    initiatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class IntakeInput:
    """One signal as a field worker submits it: parsed and well-formed, not yet judged."""

    client_uuid: UUID
    first_name: str
    postcode: str  # normalised: 3511AB
    house_number: int
    target_group: str
    consent: IntakeConsent
    phone: str = ""
    email: str = ""
    house_number_addition: str = ""
    preferred_language: str = ""
    reasons: tuple[str, ...] = ()
    observation: str = ""
    urgency: str = Urgency.NORMAL


@dataclass(frozen=True)
class IntakeResult:
    signal: Signal
    created: bool


def fingerprint(intake: IntakeInput) -> str:
    """Stable hash of an intake, to tell a retry from a different signal. The order of reason
    codes and purposes carries no meaning: a retry that lists them differently is the same."""
    payload = dataclasses.asdict(intake)
    payload["reasons"] = sorted(intake.reasons)
    payload["consent"]["purposes"] = sorted(intake.consent.purposes)
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_consent(consent: IntakeConsent) -> None:
    if ConsentPurpose.TEAM_CONTACT not in consent.purposes:
        raise DomainError("consent_required")
    now = timezone.now()
    if consent.given_at > now + CONSENT_CLOCK_SKEW:
        raise invalid_field(
            ["consent", "given_at"], "future", _("Consent cannot be given in the future.")
        )
    if consent.given_at < now - CONSENT_MAX_AGE:
        raise invalid_field(["consent", "given_at"], "too_old", _("Consent is older than 30 days."))
    if consent.given_by == Consent.GivenBy.REPRESENTATIVE and not consent.representative_relation:
        raise invalid_field(
            ["consent", "representative_relation"],
            "required",
            _("Say how the representative relates to the resident."),
        )
    if ConsentPurpose.SHARE_WITH_INITIATIVE in consent.purposes and not consent.initiatives:
        raise invalid_field(
            ["consent", "initiatives"],
            "required",
            _("Name the initiatives the resident agreed to."),
        )
    for initiative in consent.initiatives:
        if initiative != ANY and not _is_uuid(initiative):
            raise invalid_field(
                ["consent", "initiatives"],
                "invalid",
                _('Name initiatives by their catalogue id, or "any".'),
            )


def _is_uuid(value: str) -> bool:
    try:
        return str(UUID(value)) == value
    except ValueError:
        return False


def _check_declared(consent: IntakeConsent, text: ConsentText) -> None:
    """Refuses a purpose the consent text does not say anything about."""
    missing = undeclared({purpose.value: True for purpose in consent.purposes}, text)
    if missing:
        raise DomainError(
            "purpose_not_in_consent_text",
            purposes=", ".join(missing),
            version=text.version,
            details={"purposes": missing, "consent_text_version": text.version},
        )


def consent_recipients(consent: IntakeConsent) -> list[str]:
    """Whom the consent lets the signal reach: the team, and each named initiative (by id, or
    "any") if sharing was granted; each once, in the order named."""
    recipients = [TEAM_RECIPIENT] if ConsentPurpose.TEAM_CONTACT in consent.purposes else []
    if ConsentPurpose.SHARE_WITH_INITIATIVE in consent.purposes:
        named = [initiative_recipient(initiative) for initiative in consent.initiatives]
        recipients += list(dict.fromkeys(named))
    return recipients


def _resolve_consent_text(consent: IntakeConsent) -> ConsentText:
    text = ConsentText.objects.filter(pk=consent.consent_text_id, is_active=True).first()
    if text is None:
        raise DomainError("unknown_consent_text")
    if consent.consent_text_sha256 and consent.consent_text_sha256 != text.sha256:
        raise DomainError("consent_text_mismatch")
    return text


def _resolve_reasons(codes: tuple[str, ...]) -> list[ReasonCode]:
    reasons = list(ReasonCode.objects.filter(code__in=codes, is_active=True))
    unknown = sorted(set(codes) - {r.code for r in reasons})
    if unknown:
        raise DomainError(
            "unknown_reason_code", codes=", ".join(unknown), details={"unknown": unknown}
        )
    return reasons


def signal_create(*, actor: Actor, intake: IntakeInput) -> IntakeResult:
    """Accepts a consented signal from a field worker (capability submit_signal, else 403). A
    repeat with the same client_uuid and body returns the existing signal; with another body it
    is refused (409 client_uuid_conflict).

    A purpose its consent text does not declare is refused (400 purpose_not_in_consent_text),
    and so is an initiative id the catalogue does not hold (initiatives, through
    providers.consent_recipients_check): nothing is written.

    Side effects: Signal, Consent and a `created` event in one transaction with one AccessLog
    row (create: the fields given; a repeat writes the row with none, docs/adr/0041); on
    commit the routing task is enqueued (if the broker is down the sweeper routes it later)."""
    user = require_capability(actor, SUBMIT_SIGNAL)
    _check_consent(intake.consent)
    body_hash = fingerprint(intake)
    with access_logged(actor=user) as log:
        result = _submit(user, intake, body_hash)
        log.add(disclosures.signal_submitted(result.signal, created=result.created))
    return result


def _submit(user: Any, intake: IntakeInput, body_hash: str) -> IntakeResult:
    # A first submission (nearly every one) is inserted without looking for an earlier one
    # first: the unique (created_by, client_uuid) tells a retry, which is then looked up.
    try:
        consent_text = _resolve_consent_text(intake.consent)
        _check_declared(intake.consent, consent_text)
        reasons = _resolve_reasons(intake.reasons)
    except DomainError as error:
        # A retry of a signal accepted before its consent text or a reason was retired.
        return _repeat_or_raise(user, intake, body_hash, error)
    try:
        with transaction.atomic():
            signal = _create(user, intake, body_hash, consent_text, reasons)
    except IntegrityError as error:
        # A retry, or a concurrent retry that won the race on (created_by, client_uuid).
        return _repeat_or_raise(user, intake, body_hash, error)
    return IntakeResult(signal=signal, created=True)


def _repeat_or_raise(
    user: Any, intake: IntakeInput, body_hash: str, error: Exception
) -> IntakeResult:
    """The earlier submission with this client_uuid; without one, `error` stands."""
    existing = Signal.objects.filter(created_by=user, client_uuid=intake.client_uuid).first()
    if existing is None:
        raise error
    return _repeat(existing, body_hash)


def _create(
    user: Any, intake: IntakeInput, body_hash: str, text: ConsentText, reasons: list[ReasonCode]
) -> Signal:
    signal = Signal.objects.create(
        client_uuid=intake.client_uuid,
        request_fingerprint=body_hash,
        created_by=user,
        source_organisation=user.organisation,
        resident_first_name=intake.first_name,
        contact_phone=intake.phone,
        contact_email=intake.email,
        postcode=intake.postcode,
        house_number=intake.house_number,
        house_number_addition=intake.house_number_addition,
        preferred_language=intake.preferred_language,
        target_group=intake.target_group,
        urgency=intake.urgency,
        observation=intake.observation,
    )
    signal.reasons.add(*reasons)  # a new signal: nothing to compare with, as set() would
    consent = intake.consent
    recorded = Consent.objects.create(
        signal=signal,
        given_by=consent.given_by,
        representative_relation=consent.representative_relation,
        recorded_by=user,
        given_at=consent.given_at,
        method=consent.method,
        purposes={purpose.value: purpose in consent.purposes for purpose in ConsentPurpose},
        recipients=consent_recipients(consent),
        consent_text=text,
        consent_text_sha256=text.sha256,
    )
    providers.consent_recipients_check.ask(recorded)
    append_event(signal, Event.CREATED, actor=user, to_status=Status.RECEIVED)
    route_later(signal)
    return signal


def _repeat(existing: Signal, body_hash: str) -> IntakeResult:
    if existing.request_fingerprint != body_hash:
        raise DomainError("client_uuid_conflict")
    return IntakeResult(signal=existing, created=False)
