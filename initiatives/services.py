"""Referral writes. Each step locks the signal through its one write path, records the step
on the Referral and appends a `referral` SignalEvent in the same transaction
(signals.access, signals.write_path, docs/adr/0005, 0026), and writes its access-log row
there too (initiatives.disclosures, docs/adr/0041)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from audit.disclosure import access_logged
from audit.models import Action
from backend.errors import DomainError
from initiatives import consent_gate, disclosures, recipients, referral_flow
from initiatives.models import Initiative, Referral, ReferralStep
from signals import access, consent_scope, deadlines, write_path
from signals.models import Consent, ConsentPurpose, Signal, SignalEvent, SignalNote, Status

REFERRAL = SignalEvent.Type.REFERRAL
REFERABLE = frozenset({Status.ACKNOWLEDGED, Status.CONTACTED, Status.IN_FOLLOW_UP})


@dataclass(frozen=True)
class StepResult:
    referral: Referral
    signal: Signal
    gate: consent_gate.Gate
    handover: dict[str, Any] | None  # the resident's contact details for the initiative


def _note(signal: Signal, actor: User, body: str) -> SignalNote | None:
    """A team note for a referral step's reason (erased with the signal's other notes)."""
    if not body.strip():
        return None
    return SignalNote.objects.create(signal=signal, author=actor, body=body)


def _set_due(signal: Signal, follow_up_on: date | None, now: datetime) -> None:
    """The queue's deadline: the referral's follow-up if sooner than the status's own."""
    own = deadlines.status_due(
        signal.status, first_contact_due_at=signal.first_contact_due_at, now=now
    )
    signal.due_at = deadlines.queue_due(own, follow_up_on)
    write_path.save_signal(signal, "due_at")


def _check_follow_up(follow_up_on: date | None) -> None:
    if follow_up_on is not None and follow_up_on < timezone.localdate(timezone=deadlines.AMSTERDAM):
        raise DomainError("follow_up_in_past")


def gate_for(signal: Signal | UUID | str, initiative: Initiative) -> consent_gate.Gate:
    """The consent gate for this signal (or signal id) and initiative, from the recorded
    consent: what it gives now and the catalogue ids it names (docs/adr/0032)."""
    consent = (
        Consent.objects.filter(signal=signal).select_related("withdrawal", "consent_text").first()
    )
    if consent is None:
        return consent_gate.Gate(
            allowed=False, missing_purpose=ConsentPurpose.SHARE_WITH_INITIATIVE
        )
    return consent_gate.check(
        given=consent_scope.purposes_given(consent),
        recipients=consent.recipients,
        withdrawn=hasattr(consent, "withdrawal"),
        initiative_id=initiative.pk,
    )


def consent_recipients_check(*, consent: Consent) -> None:
    """Refuses a consent naming an initiative id the catalogue does not hold as active (400
    unknown_initiative): called in the intake's transaction, so nothing is written."""
    named = {
        recipient.removeprefix(recipients.PREFIX)
        for recipient in consent.recipients
        if recipient.startswith(recipients.PREFIX) and recipient != recipients.ANY_INITIATIVE
    }
    if not named:
        return
    active = Initiative.objects.filter(pk__in=named, is_active=True)
    unknown = sorted(named - {str(pk) for pk in active.values_list("pk", flat=True)})
    if unknown:
        ids = ", ".join(unknown)
        raise DomainError("unknown_initiative", ids=ids, details={"unknown": unknown})


def _event_data(referral: Referral, from_step: str, **extra: Any) -> dict[str, Any]:
    return {
        "referral_id": str(referral.pk),
        "initiative_id": str(referral.initiative_id),
        "step": referral.step,
        "from_step": from_step,
        "follow_up_on": referral.follow_up_on.isoformat() if referral.follow_up_on else None,
        **extra,
    }


def referral_propose(
    *,
    actor: User,
    signal_id: UUID | str,
    initiative_id: UUID | str,
    follow_up_on: date | None = None,
    note: str = "",
) -> StepResult:
    """Proposes an initiative to the resident. Allowed without consent to share: then no
    contact detail can leave later either, and the result says which consent is missing.

    Side effects: a Referral (step `proposed`); the signal's due_at (the follow-up, if sooner)
    and version; an optional SignalNote; a `referral` SignalEvent; one AccessLog row (create
    of the referral; the note's field if one was written)."""
    _check_follow_up(follow_up_on)
    with access_logged(actor=actor) as log:
        signal = access.signal_for_team_work(actor=actor, signal_id=signal_id)
        if signal.status not in REFERABLE:
            raise DomainError("referral_not_open")
        initiative = Initiative.objects.filter(
            pk=initiative_id, is_active=True, accepting_new=True
        ).first()
        if initiative is None:
            raise DomainError("initiative_unavailable")
        if Referral.objects.filter(signal=signal, ended_at__isnull=True).exists():
            raise DomainError("referral_already_active")
        referral = Referral.objects.create(
            signal=signal,
            initiative=initiative,
            step=ReferralStep.PROPOSED,
            follow_up_on=follow_up_on,
            created_by=actor,
        )
        now = timezone.now()
        _set_due(signal, follow_up_on, now)
        write_path.append_event(
            signal,
            REFERRAL,
            actor=actor,
            note=_note(signal, actor, note),
            data=_event_data(referral, ""),
        )
        gate = gate_for(signal, initiative)
        result = StepResult(referral=referral, signal=signal, gate=gate, handover=None)
        log.add(disclosures.referral_step_taken(result, Action.CREATE, note=note))
    return result


def referral_step(
    *,
    actor: User,
    signal_id: UUID | str,
    step: str,
    follow_up_on: date | None = None,
    reason: str = "",
    share_contact: bool = False,
) -> StepResult:
    """Records the next step of the signal's active referral. `stuck` and the declines need a
    reason (kept as a note). `share_contact` hands the resident's contact details over for the
    initiative, only with consent purpose share_with_initiative naming it (403
    initiative_consent_missing, with what is missing, otherwise).

    Side effects: the Referral's step, follow-up and dates (ended on a final step); the
    signal's due_at and version; an optional SignalNote; a `referral` SignalEvent; one
    AccessLog row (update of the referral; the reason's field if one was written) and, when the
    contact details are handed over, a second (export, naming the recipient)."""
    _check_follow_up(follow_up_on)
    with access_logged(actor=actor) as log:
        signal = access.signal_for_team_work(actor=actor, signal_id=signal_id)
        if signal.status not in REFERABLE:
            raise DomainError("referral_not_open")
        referral = (
            Referral.objects.select_for_update()
            .select_related("initiative")
            .filter(signal=signal, ended_at__isnull=True)
            .first()
        )
        if referral is None:
            raise DomainError("no_active_referral")
        from_step = referral.step
        if not referral_flow.is_allowed(from_step, step):
            raise DomainError(
                "illegal_referral_step",
                step=from_step,
                details={"step": from_step, "allowed": referral_flow.allowed_after(from_step)},
            )
        if step in referral_flow.NEEDS_REASON and not reason.strip():
            raise DomainError("reason_required")
        gate = gate_for(signal, referral.initiative)
        ending = step in referral_flow.ENDING
        if share_contact and (ending or not gate.allowed):
            raise DomainError("initiative_consent_missing", details=gate.as_details())
        if share_contact and not referral.initiative.is_active:
            # Left the catalogue after the proposal: nobody there to receive the details.
            raise DomainError("initiative_unavailable")
        now = timezone.now()
        referral.step = step
        referral.follow_up_on = None if ending else follow_up_on
        if share_contact and referral.contact_shared_at is None:
            # The first handover is the date the details left (AVG art. 19); a repeat to the
            # same initiative is in the events, and moves nothing.
            referral.contact_shared_at = now
        if step == ReferralStep.MEETING_HAPPENED:
            referral.first_meeting_at = now
        if ending:
            referral.ended_at = now
        referral.save()
        _set_due(signal, referral.follow_up_on, now)
        write_path.append_event(
            signal,
            REFERRAL,
            actor=actor,
            note=_note(signal, actor, reason),
            data=_event_data(referral, from_step, contact_shared=share_contact),
        )
        handover = _handover(signal, referral.initiative) if share_contact else None
        result = StepResult(referral=referral, signal=signal, gate=gate, handover=handover)
        log.add(disclosures.referral_step_taken(result, Action.UPDATE, note=reason))
        if handover is not None:
            log.add(disclosures.contact_handed_over(result))
    return result


def _handover(signal: Signal, initiative: Initiative) -> dict[str, Any]:
    return {
        "initiative": initiative.name,
        "initiative_contact_route": initiative.contact_route,
        "resident": {
            "first_name": signal.resident_first_name,
            "phone": signal.contact_phone,
            "email": signal.contact_email,
        },
    }


def referrals_stop(*, signal: Signal, actor: Actor, because: str) -> Referral | None:
    """Stops the signal's active referral `because` the consent was withdrawn or the signal
    closes (nothing can work it any more). The caller holds the signal's lock (the one write
    path is running).

    Side effects: the Referral ends with step `stopped`; a `referral` SignalEvent."""
    referral = (
        Referral.objects.select_for_update().filter(signal=signal, ended_at__isnull=True).first()
    )
    if referral is None:
        return None
    from_step = referral.step
    referral.step = ReferralStep.STOPPED
    referral.follow_up_on = None
    referral.ended_at = timezone.now()
    referral.save()
    write_path.append_event(
        signal,
        REFERRAL,
        actor=actor,
        note=None,
        data=_event_data(referral, from_step, stopped_because=because),
    )
    return referral


def closing_evidence(*, signal: Signal) -> dict[str, Any]:
    """What a close as `connected_to_initiative` links: the ids of the latest referral that
    reached a first meeting and of its initiative, never the name (events outlive erasure).
    Empty when there is none (signals then refuses the close)."""
    referral = (
        Referral.objects.filter(signal=signal, first_meeting_at__isnull=False)
        .order_by("-first_meeting_at")
        .first()
    )
    if referral is None:
        return {}
    return {"referral_id": str(referral.pk), "initiative_id": str(referral.initiative_id)}


def connected_names(referral_ids: Mapping[Any, str]) -> dict[Any, str]:
    """The initiative's name per signal id, for the signaller, where the referral its close
    linked reached a first meeting and the resident's consent covers that initiative now."""
    referrals = Referral.objects.select_related("initiative").filter(
        pk__in=set(referral_ids.values()), first_meeting_at__isnull=False
    )
    by_id = {str(referral.pk): referral for referral in referrals}
    names = {}
    for signal_id, referral_id in referral_ids.items():
        referral = by_id.get(str(referral_id))
        if referral is None or str(referral.signal_id) != str(signal_id):
            continue
        if gate_for(referral.signal_id, referral.initiative).allowed:
            names[signal_id] = referral.initiative.name
    return names
