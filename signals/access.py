"""Who may change which signal: every service that changes a signal loads it through one of
these, so the API, the admin, management commands and tasks share one rule (docs/adr/0022).

Each function checks the actor's capability, locks the signal through
`Signal.objects.visible_to(actor)` (signals.visibility) or the narrower set its job allows, and
raises the errors the API shows: 403 permission_denied without the capability, 404
(Signal.DoesNotExist) outside visibility, 403 break_glass_read_only for a break-glass reader,
423 processing_restricted, 403 coordinator_required. A signal loaded for a person carries
`.grounds` (signals.grounds.Grounds), the rule that let them in, for the access log.

Work no person started (routing, escalation, retention, the demo loader) passes a
`SystemActor` (accounts.actors), never None: a forgotten actor is refused, not treated as the
system (docs/adr/0039)."""

from typing import Any, NoReturn
from uuid import UUID

from accounts.actors import is_system, require_capability, require_system
from accounts.models import TeamMembership, TeamRole, User
from accounts.roles import (
    BREAK_GLASS,
    COORDINATE_TEAM,
    HANDLE_PRIVACY_REQUESTS,
    SUBMIT_SIGNAL,
    WORK_TEAM_QUEUE,
)
from backend.errors import DomainError
from signals.grounds import Rule
from signals.models import Signal
from signals.visibility import grounds_of
from signals.write_path import lock_signal


def _refuse(actor: User, signal_id: UUID | str) -> NoReturn:
    """A break-glass grant lets its holder read, nothing more (403); anyone else gets 404."""
    if Signal.objects.visible_to(actor).filter(pk=signal_id).exists():
        raise DomainError("break_glass_read_only")
    raise Signal.DoesNotExist


def signal_for_team_work(*, actor: Any, signal_id: UUID | str) -> Signal:
    """Locks a signal the actor works on as a team member (capability work_team_queue; own
    active team or a standing share, not break-glass). A restricted signal is 423."""
    user = require_capability(actor, WORK_TEAM_QUEUE)
    queryset = Signal.objects.visible_to(user, break_glass=False).with_grounds(user)
    try:
        signal = lock_signal(queryset, signal_id)
    except Signal.DoesNotExist:
        _refuse(user, signal_id)
    signal.grounds = grounds_of(signal)
    return signal


def signal_for_team_read(*, actor: Any, signal_id: UUID | str) -> Signal:
    """The signal_for_team_work rule for a read (suggestions, the referral list): the same 403,
    404 and 423, without the row lock a read has no use for. Carries `.grounds`."""
    user = require_capability(actor, WORK_TEAM_QUEUE)
    queryset = Signal.objects.visible_to(user, break_glass=False).with_grounds(user)
    try:
        signal = queryset.get(pk=signal_id)
    except Signal.DoesNotExist:
        _refuse(user, signal_id)
    if signal.restricted_at:
        raise DomainError("processing_restricted")
    signal.grounds = grounds_of(signal)
    return signal


def coordinated_team_ids(*, user: Any) -> list[UUID]:
    """The teams `user` coordinates: a coordinator membership of an active team. A deactivated
    team grants its coordinators nothing, as it grants its members no visibility
    (signals.visibility); the coordinator's overview and every coordinator check read this."""
    if not isinstance(user, User):
        return []
    return list(
        TeamMembership.objects.filter(
            user=user, role=TeamRole.COORDINATOR, team__is_active=True
        ).values_list("team_id", flat=True)
    )


def is_coordinator(user: Any, signal: Signal) -> bool:
    """Whether `user` coordinates `signal`'s team: the coordinate_team capability and the
    coordinator role in that team, an active one (coordinating another team is not enough).
    The one rule behind the services' 403 and the workspace's coordinator controls."""
    return (
        isinstance(user, User)
        and user.has_perm(COORDINATE_TEAM)
        and signal.team_id is not None
        and signal.team_id in coordinated_team_ids(user=user)
    )


def require_coordinator(actor: Any, signal: Signal) -> None:
    """Coordinating (assigning to someone else, forwarding) is for a coordinator of the
    signal's team (`is_coordinator`), else 403 coordinator_required."""
    if not is_coordinator(actor, signal):
        raise DomainError("coordinator_required")


def _withdrawal_scope(user: User) -> tuple[Any, bool]:
    """The signals whose consent `user` may withdraw, and whether as a privacy officer."""
    officer = user.has_perm(HANDLE_PRIVACY_REQUESTS)
    if officer:
        return Signal.objects.all(), officer
    scope = Signal.objects.visible_to(user, break_glass=False) | Signal.objects.submitted_by(user)
    return scope, officer


def _withdrawal_grounds(signal: Signal, user: User, *, officer: bool) -> Signal:
    if officer:
        rule = Rule.PRIVACY_OFFICER
    elif signal.created_by_id == user.pk:
        rule = Rule.SIGNALLER_OWN_SIGNAL
    else:
        rule = ""  # the team rule
    signal.grounds = grounds_of(signal, rule=rule)
    return signal


def signal_for_withdrawal(*, actor: Any, signal_id: UUID | str) -> Signal:
    """Locks a signal whose consent the actor may withdraw on the resident's word: the signaller
    who submitted it, its team, or a privacy officer (any signal). Allowed under restriction:
    withdrawal only reduces processing (AVG art. 18(2))."""
    user = require_capability(actor, SUBMIT_SIGNAL, WORK_TEAM_QUEUE, HANDLE_PRIVACY_REQUESTS)
    scope, officer = _withdrawal_scope(user)
    try:
        signal = lock_signal(scope.with_grounds(user), signal_id, allow_restricted=True)
    except Signal.DoesNotExist:
        _refuse(user, signal_id)
    return _withdrawal_grounds(signal, user, officer=officer)


def signal_for_withdrawal_read(*, actor: Any, signal_id: UUID | str) -> Signal:
    """The same signal by the same rule, read without a lock: for the page that asks to
    confirm a withdrawal before anything changes (404 outside the rule)."""
    user = require_capability(actor, SUBMIT_SIGNAL, WORK_TEAM_QUEUE, HANDLE_PRIVACY_REQUESTS)
    scope, officer = _withdrawal_scope(user)
    signal = scope.with_grounds(user).filter(pk=signal_id).first()
    if signal is None:
        _refuse(user, signal_id)
    return _withdrawal_grounds(signal, user, officer=officer)


def signal_for_rights_action(
    *, actor: Any, signal_id: UUID | str, system_allowed: bool = False
) -> Signal:
    """Locks any signal for a privacy officer's rights action (erasure, restriction and its
    lifting; allowed under restriction), or for the system where `system_allowed` (retention)."""
    if not (system_allowed and is_system(actor)):
        require_capability(actor, HANDLE_PRIVACY_REQUESTS)
    return lock_signal(Signal.objects.all(), signal_id, allow_restricted=True)


def signal_for_system(*, actor: Any, signal_id: UUID | str) -> Signal | None:
    """Locks a signal for the system's own work (routing, escalation); None when it is gone."""
    require_system(actor)
    return Signal.objects.select_for_update().filter(pk=signal_id).first()


def signal_for_break_glass(*, actor: Any, signal_id: UUID | str) -> Signal:
    """Locks a signal the actor (capability break_glass_signal) may open by break-glass: one a
    team works on, with its data, not restricted (else 404), and not already theirs as team
    work (409 break_glass_not_needed)."""
    user = require_capability(actor, BREAK_GLASS)
    signal = lock_signal(Signal.objects.break_glass_eligible(), signal_id)
    if Signal.objects.visible_to(user, break_glass=False).filter(pk=signal.pk).exists():
        raise DomainError("break_glass_not_needed")
    return signal
