"""Workflow changes by the team: transitions, assignment, forwarding, notes.

Each locks the signal through signals.access.signal_for_team_work, so each refuses as the API
does: 403 without the work_team_queue capability, 404 outside the actor's teams and shares,
403 break_glass_read_only for a break-glass reader, 423 for a restricted signal. Each writes
its access-log row in its own transaction (audit.disclosure.access_logged, signals.disclosures;
docs/adr/0041), whichever front end called it."""

from typing import Any
from uuid import UUID

from django.utils import timezone

from accounts.models import Team, TeamMembership, User
from audit.disclosure import AccessLogEntries, access_logged
from audit.models import Action
from backend.errors import DomainError
from signals import deadlines, disclosures, providers, selectors, workflow
from signals.access import require_coordinator, signal_for_team_work
from signals.models import (
    Outcome,
    Signal,
    SignalNote,
    Status,
)
from signals.write_path import Event, append_event, check_version, route_later, save_signal


def _note(
    signal: Signal, author: User, body: str, corrects: SignalNote | None = None
) -> SignalNote | None:
    if not body:
        return None
    return SignalNote.objects.create(signal=signal, author=author, body=body, corrects=corrects)


def _answered(signal: Signal, log: AccessLogEntries, **details: Any) -> Signal:
    """The signal in full as the change leaves it (history, notes), read again in the change's
    transaction: what the service returns, and so what it discloses to its caller (the API
    answers with it). One update row names the fields it holds (docs/adr/0014, 0041)."""
    detail = selectors.with_detail(Signal.objects.filter(pk=signal.pk)).get()
    detail.grounds = signal.grounds
    log.add(
        disclosures.signal_read(detail, action=Action.UPDATE, grounds=signal.grounds, **details)
    )
    return detail


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

    Closing as `connected_to_initiative` needs the evidence the `closing_links` provider links
    (initiatives: a referral that reached a first meeting); without it, 409
    connected_needs_referral.

    Returns the signal in full (signals.selectors.with_detail).

    Side effects: status, deadlines and version; an optional SignalNote; a `transitioned` event
    (acknowledgement notifies the signaller) with the outcome and what `closing_links` linked;
    one AccessLog row (update, operation `transition`, the fields the returned signal holds)."""
    with access_logged(actor=actor) as log:
        signal = signal_for_team_work(actor=actor, signal_id=signal_id)
        check_version(signal, expected_version)
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
        links = _closing_links(signal, actor, outcome) if to_status == Status.CLOSED else {}
        now = timezone.now()
        from_status = signal.status
        signal.status = to_status
        fields = ["status", "due_at"]
        signal.due_at = deadlines.status_due(
            to_status, first_contact_due_at=signal.first_contact_due_at, now=now
        )
        if to_status in (Status.CLOSED, Status.DECLINED):
            signal.closed_at = now
            signal.outcome = outcome if to_status == Status.CLOSED else ""
            fields += ["closed_at", "outcome"]
        save_signal(signal, *fields)
        data = {"outcome": outcome, **links} if outcome else {}
        append_event(
            signal,
            Event.TRANSITIONED,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            note=_note(signal, actor, note),
            data=data,
        )
        return _answered(signal, log, operation="transition", to=to_status)


def _closing_links(signal: Signal, actor: User, outcome: str) -> dict[str, Any]:
    """What the `closing_links` provider links to the close; refuses a `connected_to_initiative`
    close that nothing vouches for (fail closed: nobody answering, no such close)."""
    links = providers.closing_links.ask(
        providers.Closing(signal=signal, outcome=outcome, actor=actor)
    )
    if outcome == Outcome.CONNECTED_TO_INITIATIVE and not links.get("referral_id"):
        raise DomainError("connected_needs_referral")
    return links


def signal_assign(
    *,
    signal_id: UUID | str,
    actor: User,
    assignee_id: UUID | str | None,
    expected_version: int | None,
) -> Signal:
    """Claims a signal (no assignee, or oneself) or, for a coordinator, assigns it to a member of
    the signal's team.

    Returns the signal in full (signals.selectors.with_detail).

    Side effects: assigned_to and version; an `assigned` event (notifies the assignee); one
    AccessLog row (update, operation `assign`), also when it was already so assigned."""
    with access_logged(actor=actor) as log:
        signal = signal_for_team_work(actor=actor, signal_id=signal_id)
        target_id = assignee_id or actor.pk
        if str(target_id) != str(actor.pk):  # before the version: a 409 would tell it (403 first)
            require_coordinator(actor, signal)
        check_version(signal, expected_version)
        if signal.status not in workflow.OPEN_FOR_TEAM:
            raise DomainError(
                "illegal_transition",
                status=signal.status,
                details={"status": signal.status, "allowed": []},
            )
        assignee = User.objects.filter(pk=target_id, is_active=True).first()
        if (
            assignee is None
            or not TeamMembership.objects.filter(user=assignee, team_id=signal.team_id).exists()
        ):
            raise DomainError("not_a_team_member")
        if signal.assigned_to_id != assignee.pk:
            signal.assigned_to = assignee
            save_signal(signal, "assigned_to")
            append_event(
                signal, Event.ASSIGNED, actor=actor, data={"assignee_id": str(assignee.pk)}
            )
        return _answered(signal, log, operation="assign")


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
    event; on commit the routing task (which appends `routed` and notifies the new team); one
    AccessLog row (update, operation `forward`: the reason is a note)."""
    with access_logged(actor=actor) as log:
        signal = signal_for_team_work(actor=actor, signal_id=signal_id)
        require_coordinator(actor, signal)  # before the version: a 409 would tell it (403 first)
        check_version(signal, expected_version)
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
        save_signal(signal, "status", "forward_to_team")
        append_event(
            signal,
            Event.FORWARDED,
            actor=actor,
            from_status=from_status,
            to_status=Status.FORWARDED,
            note=_note(signal, actor, reason),
            data={"from_team_id": str(signal.team_id), "to_team_id": str(target.pk)},
        )
        route_later(signal)
        log.add(disclosures.signal_forwarded(signal))
    return signal


def signal_note_add(
    *, signal_id: UUID | str, actor: User, body: str, corrects_id: UUID | str | None = None
) -> SignalNote:
    """Appends a team note; a correction refers to the note it corrects.

    Refused once consent is withdrawn or the personal data erased: a note is personal data, and
    nothing would erase it later.

    Side effects: a SignalNote and a `note_added` event; one AccessLog row (create, the note)."""
    with access_logged(actor=actor) as log:
        signal = signal_for_team_work(actor=actor, signal_id=signal_id)
        if signal.status == Status.WITHDRAWN or signal.personal_data_erased_at:
            raise DomainError("signal_erased")
        corrects = None
        if corrects_id:
            corrects = SignalNote.objects.filter(pk=corrects_id, signal=signal).first()
            if corrects is None:
                raise DomainError("unknown_note")
        note = _note(signal, actor, body, corrects)
        assert note is not None  # the serializer refuses an empty body
        append_event(
            signal,
            Event.NOTE_ADDED,
            actor=actor,
            note=note,
            data={"corrects": str(corrects.pk) if corrects else None},
        )
        note.signal = signal  # carries .grounds
        log.add(disclosures.note_added(note))
    return note
