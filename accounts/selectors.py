"""Reads for accounts."""

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from accounts.backends import role_names
from accounts.models import MembershipRequest, Neighbourhood, Team, TeamMembership, TeamRole, User
from accounts.roles import MANAGE_CONFIGURATION, Role


def user_roles(*, user: User) -> list[str]:
    """The user's roles, for display. Authorisation checks permissions, not these names."""
    names = role_names(user)
    return [role.value for role in Role if role.value in names]


def user_with_profile(*, user: User) -> User:
    """The authenticated user with its teams. The user object of the request is used as it is
    (authentication read it with its organisation a moment ago), not read again."""
    prefetch_related_objects(
        [user], Prefetch("memberships", queryset=TeamMembership.objects.select_related("team"))
    )
    return user


def teams_active() -> QuerySet[Team]:
    """Every active team, for picking where to forward a signal (names are no personal data)."""
    return Team.objects.filter(is_active=True).order_by("name")


def team_members(*, user: User, team_id: Any) -> QuerySet[TeamMembership]:
    """The active members of an active team the caller belongs to, for assigning a signal.
    Another team's members are not listed: Team.DoesNotExist (404)."""
    if not TeamMembership.objects.filter(user=user, team_id=team_id, team__is_active=True).exists():
        raise Team.DoesNotExist
    return (
        TeamMembership.objects.filter(team_id=team_id, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def neighbourhood_names() -> QuerySet[Neighbourhood]:
    """Buurten with their wijk, for choosing queue filters by name."""
    return Neighbourhood.objects.only("code", "name", "wijk_code", "wijk_name").order_by(
        "wijk_name", "name"
    )


def membership_requests_decidable(*, user: User) -> QuerySet[MembershipRequest]:
    """Pending team-role requests `user` may look at to decide (docs/adr/0034): every one for an
    admin (the service then allows only where the team has no coordinator and the admin did not
    ask), those of the teams they coordinate for a coordinator, never their own."""
    pending = MembershipRequest.objects.filter(
        status=MembershipRequest.Status.PENDING
    ).select_related("team", "user", "requested_by")
    if user.has_perm(MANAGE_CONFIGURATION):
        return pending.order_by("created_at")
    coordinated = TeamMembership.objects.filter(user=user, role=TeamRole.COORDINATOR)
    return (
        pending.filter(team_id__in=coordinated.values("team_id"))
        .exclude(user=user)
        .order_by("created_at")
    )
