"""Reads for accounts."""

from django.db.models import Prefetch, prefetch_related_objects

from accounts.backends import role_names
from accounts.models import TeamMembership, User
from accounts.roles import Role


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
