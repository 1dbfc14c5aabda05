"""Writes for users, team memberships and roles, with the separation-of-duties rules every front
end shares (the admin, commands, a future web workspace):

- nobody grants data access to themselves: no self-given team role, no change of one's own roles;
- privacy officers, admins, staff and superusers hold no team role, and someone with a team role
  does not become one of them;
- only a superuser grants or revokes the admin and privacy-officer roles and staff access;
- team role groups follow the memberships, never the other way round.

Every change is an access-log row about the target account (docs/adr/0016).
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.account_log import account_change_record, actor_rule
from accounts.actors import Actor, is_system, require_capability_or_system
from accounts.models import Organisation, Team, TeamMembership, TeamRole, User
from accounts.roles import MANAGE_CONFIGURATION, Role
from accounts.services.users import CHANGE_USER
from audit.context import AccessContext
from audit.models import Action
from backend.errors import DomainError

PRIVILEGED_ROLES = frozenset({Role.ADMIN.value, Role.PRIVACY_OFFICER.value})
TEAM_ROLES = frozenset({Role.TEAM_MEMBER.value, Role.TEAM_COORDINATOR.value})
# Roles given directly (the rest come with a team membership).
ASSIGNABLE_ROLES = frozenset(role.value for role in Role) - TEAM_ROLES


def user_is_privileged(user: User) -> bool:
    """Admin, privacy officer, staff or superuser: roles that hold no team role."""
    return bool(
        user.is_staff or user.is_superuser or user.groups.filter(name__in=PRIVILEGED_ROLES).exists()
    )


def user_has_team_role(user: User) -> bool:
    return (
        TeamMembership.objects.filter(user=user).exists()
        or user.groups.filter(name__in=TEAM_ROLES).exists()
    )


def user_lock(user: User) -> User:
    """Serialises every role and membership change of one user, so two concurrent changes
    cannot together break a rule each of them checked."""
    return User.objects.select_for_update().get(pk=user.pk)


# --- team memberships -------------------------------------------------------------------------


def team_membership_check(*, user: User, actor: Actor) -> None:
    """Raises the DomainError that refuses giving `user` a team role, if any (forms call this
    to show the refusal; team_membership_set checks again)."""
    require_capability_or_system(actor, MANAGE_CONFIGURATION)
    if not is_system(actor) and actor.pk == user.pk:
        raise DomainError("membership_self_grant")
    if user_is_privileged(user):
        raise DomainError("team_role_for_privileged")


def _team_groups_sync(user: User) -> None:
    """The team role groups carry the capabilities (work a queue, coordinate); they follow the
    memberships, so ending a membership also ends the capability."""
    roles = set(TeamMembership.objects.filter(user=user).values_list("role", flat=True))
    wanted = set()
    if TeamRole.COORDINATOR in roles:
        wanted.add(Role.TEAM_COORDINATOR.value)
    if TeamRole.MEMBER in roles:
        wanted.add(Role.TEAM_MEMBER.value)
    groups = list(Group.objects.filter(name__in=TEAM_ROLES))
    user.groups.remove(*[group for group in groups if group.name not in wanted])
    user.groups.add(*[group for group in groups if group.name in wanted])


def membership_grants_access(*, existing: TeamMembership | None, role: str) -> bool:
    """Whether giving someone `role` in a team adds access: a new membership, or a member
    becoming coordinator. Only a coordinator becoming a member takes access away."""
    return existing is None or (existing.role == TeamRole.MEMBER and role == TeamRole.COORDINATOR)


def team_membership_set(
    *, team: Team, user: User, role: str, actor: Actor, context: AccessContext
) -> TeamMembership:
    """Adds or changes a membership; the matching role group comes with it. Nothing happens
    (and nothing is logged) when the membership already has this role. A person only takes
    access away here (coordinator to member); adding access is a request a second person
    approves (accounts.services.membership_requests, docs/adr/0034). The system (a
    `SystemActor`: the demo loader, commands; docs/adr/0039) adds memberships at once; None is
    refused (403).

    Side effects: TeamMembership row; the user's team role groups; an access log row
    (membership_change)."""
    require_capability_or_system(actor, MANAGE_CONFIGURATION)  # before anything, a no-op too
    role = TeamRole(role).value
    with transaction.atomic():
        user = user_lock(user)
        existing = TeamMembership.objects.filter(team=team, user=user).first()
        if existing is not None and existing.role == role:
            return existing
        team_membership_check(user=user, actor=actor)
        if not is_system(actor) and membership_grants_access(existing=existing, role=role):
            raise DomainError("membership_approval_required")
        return membership_write(
            team=team,
            user=user,
            role=role,
            existing=existing,
            context=context,
            authorisation_rule=actor_rule(actor, MANAGE_CONFIGURATION),
        )


def membership_write(
    *,
    team: Team,
    user: User,
    role: str,
    existing: TeamMembership | None,
    context: AccessContext,
    authorisation_rule: str,
    details: dict | None = None,
) -> TeamMembership:
    """Writes an authorised membership change. The caller holds `user`'s row lock and has
    checked every rule. Side effects: as team_membership_set."""
    membership, created = TeamMembership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    _team_groups_sync(user)
    logged = {"change": "added" if created else "role_changed", "team_id": team.pk, "role": role}
    if existing is not None:
        logged["previous_role"] = existing.role
    account_change_record(
        context=context,
        action=Action.MEMBERSHIP_CHANGE,
        target=user,
        authorisation_rule=authorisation_rule,
        details={**logged, **(details or {})},
    )
    return membership


def team_membership_remove(*, team: Team, user: User, actor: Actor, context: AccessContext) -> bool:
    """Ends a membership and, with the last one of its kind, the role group. Returns False when
    there was none.

    Side effects: TeamMembership row deleted; the user's team role groups; an access log row
    (membership_change)."""
    require_capability_or_system(actor, MANAGE_CONFIGURATION)
    with transaction.atomic():
        user = user_lock(user)
        membership = TeamMembership.objects.filter(team=team, user=user).first()
        if membership is None:
            return False
        membership.delete()
        _team_groups_sync(user)
        account_change_record(
            context=context,
            action=Action.MEMBERSHIP_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, MANAGE_CONFIGURATION),
            details={"change": "removed", "team_id": team.pk, "role": membership.role},
        )
    return True


# --- roles ------------------------------------------------------------------------------------


def _assignable_roles_of(user: User) -> set[str]:
    return set(user.groups.filter(name__in=ASSIGNABLE_ROLES).values_list("name", flat=True))


def user_access_check(
    *,
    user: User,
    roles: Iterable[str],
    is_staff: bool,
    is_superuser: bool,
    actor: Actor,
) -> bool:
    """Whether giving `user` these roles and flags changes anything; raises the DomainError
    that refuses it, if any. `roles` are the directly given roles (not the team roles, which
    come with memberships)."""
    wanted = {Role(role).value for role in roles}
    if wanted & TEAM_ROLES:
        raise DomainError("role_via_membership")
    current = _assignable_roles_of(user)
    changed_roles = wanted ^ current
    changed_flags = (is_staff != user.is_staff) or (is_superuser != user.is_superuser)
    if not changed_roles and not changed_flags:
        return False
    require_capability_or_system(actor, CHANGE_USER)
    if not is_system(actor) and actor.pk == user.pk:
        raise DomainError("role_self_change")
    touches_privilege = bool(changed_roles & PRIVILEGED_ROLES) or changed_flags
    if touches_privilege and not is_system(actor) and not actor.is_superuser:
        raise DomainError("role_change_not_allowed")
    becomes_privileged = bool(wanted & PRIVILEGED_ROLES) or is_staff or is_superuser
    if becomes_privileged and user_has_team_role(user):
        raise DomainError("privileged_role_with_team")
    return True


def user_access_set(
    *,
    user: User,
    roles: Iterable[str],
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
    actor: Actor,
    context: AccessContext,
) -> bool:
    """Gives `user` exactly these direct roles (groups) and, where given, the staff and
    superuser flags. Returns False when nothing changed (then nothing is logged).

    Side effects: the user's groups, is_staff, is_superuser; an access log row (role_change)
    with the roles added and removed and the flags changed."""
    require_capability_or_system(actor, CHANGE_USER)  # before anything, a no-op too
    wanted = {Role(role).value for role in roles}
    with transaction.atomic():
        user = user_lock(user)
        staff = user.is_staff if is_staff is None else is_staff
        superuser = user.is_superuser if is_superuser is None else is_superuser
        if not user_access_check(
            user=user, roles=wanted, is_staff=staff, is_superuser=superuser, actor=actor
        ):
            return False
        current = _assignable_roles_of(user)
        added, removed = sorted(wanted - current), sorted(current - wanted)
        user.groups.remove(*Group.objects.filter(name__in=removed))
        user.groups.add(*Group.objects.filter(name__in=added))
        details: dict = {"added": added, "removed": removed}
        if staff != user.is_staff:
            details["is_staff"] = staff
        if superuser != user.is_superuser:
            details["is_superuser"] = superuser
        user.is_staff, user.is_superuser = staff, superuser
        user.save(update_fields=["is_staff", "is_superuser"])
        account_change_record(
            context=context,
            action=Action.ROLE_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, CHANGE_USER),
            details=details,
        )
    return True


def user_create(
    *,
    email: str,
    password: str | None = None,
    full_name: str = "",
    organisation: Organisation | None = None,
    roles: list[str] | None = None,
    language: str = "nl",
    actor: Actor,
    context: AccessContext,
) -> User:
    """Creates a user, by default without a usable password (they set one with a one-time code,
    accounts.services.credentials.credentials_reset). Admins and privacy officers also get
    is_staff for /admin/.

    Side effects: a User row; as user_access_set for the roles; an access log row
    (credential_change, change created)."""
    roles = list(roles or [])
    require_capability_or_system(actor, CHANGE_USER)
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            organisation=organisation,
            language=language,
        )
        account_change_record(
            context=context,
            action=Action.CREDENTIAL_CHANGE,
            target=user,
            authorisation_rule=actor_rule(actor, CHANGE_USER),
            details={"change": "created", "usable_password": user.has_usable_password()},
        )
        if roles:
            user_access_set(
                user=user,
                roles=roles,
                is_staff=bool(set(roles) & PRIVILEGED_ROLES),
                actor=actor,
                context=context,
            )
            user.refresh_from_db()
    return user
