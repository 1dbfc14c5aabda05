"""Nobody gives access to resident data alone (docs/adr/0034). An admin requests a team role;
it takes effect only when a second person approves it: a coordinator of that team, or, where
the team has no active coordinator, a second admin. Never the requester, never the person
themselves. Until then there is no TeamMembership, so the request gives no access anywhere
(visibility, queue, pushes, the workspace). Taking access away (a coordinator becoming a member,
ending a membership) needs nobody's approval. Every step is an access-log row about the account.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.account_log import account_change_record, actor_rule
from accounts.actors import Actor, person, require_person
from accounts.models import MembershipRequest, Team, TeamMembership, TeamRole, User
from accounts.roles import MANAGE_CONFIGURATION
from accounts.selectors import membership_requests_decidable
from accounts.services.memberships import (
    membership_grants_access,
    membership_write,
    team_membership_check,
    team_membership_set,
    user_is_privileged,
    user_lock,
)
from audit.context import AccessContext
from audit.models import Action
from backend.errors import DomainError

RULE_COORDINATOR = "membership_approval:team_coordinator"
RULE_SECOND_ADMIN = "membership_approval:second_admin"


def team_membership_request(
    *, team: Team, user: User, role: str, actor: Actor, context: AccessContext
) -> MembershipRequest | None:
    """Asks for `user` to get `role` in `team`. Returns the pending request, or None when
    nothing needs approving (the membership has this role already, or the change takes access
    away and was made at once through team_membership_set). Asking again for another role
    changes the pending request.

    Side effects: a pending MembershipRequest row; an access log row (membership_change,
    change requested)."""
    role = TeamRole(role).value
    with transaction.atomic():
        user = user_lock(user)
        existing = TeamMembership.objects.filter(team=team, user=user).first()
        if existing is not None and existing.role == role:
            return None
        team_membership_check(user=user, actor=actor)
        if not membership_grants_access(existing=existing, role=role):
            team_membership_set(team=team, user=user, role=role, actor=actor, context=context)
            return None
        pending = MembershipRequest.objects.filter(
            team=team, user=user, status=MembershipRequest.Status.PENDING
        ).first()
        if pending is not None and pending.role == role:
            return pending
        if pending is None:
            pending = MembershipRequest(team=team, user=user)
        pending.role, pending.requested_by = role, person(actor)
        pending.save()
        account_change_record(
            context=context,
            action=Action.MEMBERSHIP_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, MANAGE_CONFIGURATION),
            details={
                "change": "requested",
                "team_id": team.pk,
                "role": role,
                "request_id": str(pending.pk),
            },
        )
    return pending


def team_has_coordinator(team: Team | int | str) -> bool:
    return TeamMembership.objects.filter(
        team=team, role=TeamRole.COORDINATOR, user__is_active=True
    ).exists()


def membership_decision_check(*, request: MembershipRequest, actor: User) -> str:
    """Raises the DomainError that refuses `actor` deciding `request`, if any; returns the rule
    that allows it (a coordinator of the team, or a second admin where it has none). Only a
    person decides: None and the system are refused (403)."""
    require_person(actor)
    if actor.pk == request.user_id:
        raise DomainError("membership_approval_own")
    if actor.pk == request.requested_by_id:
        raise DomainError("membership_approval_by_requester")
    if team_has_coordinator(request.team_id):
        coordinates = TeamMembership.objects.filter(
            team_id=request.team_id, user=actor, role=TeamRole.COORDINATOR
        ).exists()
        if coordinates and actor.is_active:
            return RULE_COORDINATOR
    elif actor.has_perm(MANAGE_CONFIGURATION):
        return RULE_SECOND_ADMIN
    raise DomainError("membership_approval_not_allowed")


def _load_for_decision(
    *, request_id: object, actor: User, pending: QuerySet[MembershipRequest]
) -> tuple[MembershipRequest, User]:
    """The request `actor` may see, locked after its user (the order every membership change
    locks in). Outside the actor's view: MembershipRequest.DoesNotExist (404)."""
    found = pending.get(pk=request_id)
    user = user_lock(found.user)
    request = MembershipRequest.objects.select_for_update().select_related("team").get(pk=found.pk)
    if request.status != MembershipRequest.Status.PENDING:
        raise DomainError("membership_request_not_pending")
    return request, user


def team_membership_approve(
    *, request_id: object, actor: User, context: AccessContext
) -> MembershipRequest:
    """A second person approves a requested team role: only now is the membership made.
    Returns the approved request.

    Side effects: the TeamMembership row and the user's team role groups; the request
    approved (decided_by, decided_at); an access log row (membership_change, added or
    role_changed, with the request and both persons). Only a person decides: None and the
    system are refused (403)."""
    require_person(actor)
    with transaction.atomic():
        request, user = _load_for_decision(
            request_id=request_id, actor=actor, pending=membership_requests_decidable(user=actor)
        )
        rule = membership_decision_check(request=request, actor=actor)
        if user_is_privileged(user):  # became an admin or privacy officer since the request
            raise DomainError("team_role_for_privileged")
        existing = TeamMembership.objects.filter(team=request.team, user=user).first()
        membership_write(
            team=request.team,
            user=user,
            role=request.role,
            existing=existing,
            context=context,
            authorisation_rule=rule,
            details={
                "request_id": str(request.pk),
                "requested_by": str(request.requested_by_id or ""),
                "approved_by": str(actor.pk),
            },
        )
        request.status = MembershipRequest.Status.APPROVED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
    return request


def team_membership_refuse(
    *, request_id: object, actor: User, context: AccessContext
) -> MembershipRequest:
    """A second person refuses a requested team role; nothing is granted.

    Side effects: the request refused (decided_by, decided_at); an access log row
    (membership_change, change refused)."""
    require_person(actor)
    with transaction.atomic():
        request, user = _load_for_decision(
            request_id=request_id, actor=actor, pending=membership_requests_decidable(user=actor)
        )
        rule = membership_decision_check(request=request, actor=actor)
        request.status = MembershipRequest.Status.REFUSED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        account_change_record(
            context=context,
            action=Action.MEMBERSHIP_CHANGE,
            target=user,
            authorisation_rule=rule,
            details={
                "change": "refused",
                "team_id": request.team_id,
                "role": request.role,
                "request_id": str(request.pk),
                "refused_by": str(actor.pk),
            },
        )
    return request
