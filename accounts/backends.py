"""A user's roles and permissions in one query per request (docs/adr/0029).

Django's ModelBackend reads a user's permissions in two queries (their own, their groups'),
and the access log reads the group names in a third (audit.context.actor_roles). Every request
past authentication needs all three: the capability check, the second-factor rule of a
password-only token (accounts.mfa.role_requires_mfa) and the log row's roles. `RolesAndPermissions`
reads them together, once, the first time any of them is asked, and leaves them where
ModelBackend and the access log look first: on the user object of this request. Nothing is kept
between requests (authentication loads a fresh user each time), so a role change counts from
the next request, exactly as before.

It authenticates no one and grants nothing of its own: it sits before ModelBackend in
AUTHENTICATION_BACKENDS and fills ModelBackend's per-user caches (`_user_perm_cache`,
`_group_perm_cache`, `_perm_cache`), so ModelBackend answers from them without a query.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat

from audit.context import remember_actor_roles

_ROLE, _USER_PERMISSION, _GROUP_PERMISSION = "r", "u", "g"
_LOADED = "_roles_and_permissions_loaded"


def _permission_rows(kind: str, **where: Any) -> Any:
    return (
        Permission.objects.filter(**where)
        .annotate(
            kind=Value(kind, output_field=CharField()),
            value=Concat(
                "content_type__app_label", Value("."), "codename", output_field=CharField()
            ),
        )
        .values_list("kind", "value")
        .order_by()
    )


def load_roles_and_permissions(user: Any) -> None:
    """Reads the user's group names and permissions in one query and leaves them on `user`;
    does nothing when that was done already for this user object."""
    if getattr(user, _LOADED, False) or not user.is_active or user.is_anonymous:
        return
    roles = (
        Group.objects.filter(user=user)
        .annotate(kind=Value(_ROLE, output_field=CharField()), value=F("name"))
        .values_list("kind", "value")
        .order_by()
    )
    rows = roles.union(
        _permission_rows(_USER_PERMISSION, user=user),
        _permission_rows(_GROUP_PERMISSION, group__user=user),
        all=True,
    )
    found: dict[str, set[str]] = {_ROLE: set(), _USER_PERMISSION: set(), _GROUP_PERMISSION: set()}
    for kind, value in rows:
        found[kind].add(value)
    remember_actor_roles(user, found[_ROLE])
    user._role_names = frozenset(found[_ROLE])
    if not user.is_superuser:  # a superuser has every permission: ModelBackend reads them all
        user._user_perm_cache = found[_USER_PERMISSION]
        user._group_perm_cache = found[_GROUP_PERMISSION]
        user._perm_cache = found[_USER_PERMISSION] | found[_GROUP_PERMISSION]
    setattr(user, _LOADED, True)


def role_names(user: Any) -> frozenset[str]:
    """The names of the user's groups (their roles, docs/adr/0003), from the same query."""
    load_roles_and_permissions(user)
    return getattr(user, "_role_names", frozenset())


class RolesAndPermissions:
    """Loads roles and permissions together the first time a permission is asked; grants
    nothing itself (ModelBackend, next in the list, answers from what was loaded).

    Not a BaseBackend: it has no `get_user`, so Django never records it as the backend a
    session logged in with, and `authenticate` always passes to the next backend."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if obj is None:
            load_roles_and_permissions(user_obj)
        return False

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is None:
            load_roles_and_permissions(user_obj)
        return set()
