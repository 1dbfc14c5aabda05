"""Reads for accounts."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Team, TeamMembership, User
from accounts.roles import Role


def user_roles(*, user: User) -> list[str]:
    """The user's roles, for display. Authorisation checks permissions, not these names."""
    names = {group.name for group in user.groups.all()}
    return [role.value for role in Role if role.value in names]


def user_with_profile(*, user: User) -> User:
    return (
        User.objects.select_related("organisation")
        .prefetch_related(
            "groups",
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("team")),
        )
        .get(pk=user.pk)
    )


def teams_of(*, user: User, role: str | None = None) -> QuerySet[Team]:
    memberships = TeamMembership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return Team.objects.filter(pk__in=memberships.values("team_id"), is_active=True)
