"""Reads for accounts."""

from django.db.models import Prefetch

from accounts.models import TeamMembership, User
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
