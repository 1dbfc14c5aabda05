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
from django.db.models.functions import Cast

from accounts.models import User
from audit.context import actor_roles, remember_actor_roles

_ROLE, _USER_PERMISSION, _GROUP_PERMISSION = "r", "u", "g"
_LOADED = "_roles_and_permissions_loaded"


def _permission_names(ids: set[int]) -> dict[int, str]:
    """`app_label.codename` per permission id. Permissions are rows migrations write, so the
    map is read once per process, and again only when an id is not in it (a new permission)."""
    if not ids <= _PERMISSION_NAMES.keys():
        _PERMISSION_NAMES.update(
            (pk, f"{app_label}.{codename}")
            for pk, app_label, codename in Permission.objects.values_list(
                "pk", "content_type__app_label", "codename"
            )
        )
    return _PERMISSION_NAMES


_PERMISSION_NAMES: dict[int, str] = {}


def load_roles_and_permissions(user: Any) -> None:
    """Reads the user's group names and permission ids in one query (few joins, so it plans
    fast) and leaves names and permissions on `user`; does nothing when that was done already
    for this user object."""
    if getattr(user, _LOADED, False) or not user.is_active or user.is_anonymous:
        return
    text = CharField()
    roles = (
        Group.objects.filter(user=user)
        .annotate(kind=Value(_ROLE, output_field=text), value=F("name"))
        .values_list("kind", "value")
        .order_by()
    )
    own = (
        User.user_permissions.through.objects.filter(user=user)
        .annotate(
            kind=Value(_USER_PERMISSION, output_field=text), value=Cast("permission_id", text)
        )
        .values_list("kind", "value")
        .order_by()
    )
    via_groups = (
        Group.permissions.through.objects.filter(
            group_id__in=User.groups.through.objects.filter(user=user).values("group_id")
        )
        .annotate(
            kind=Value(_GROUP_PERMISSION, output_field=text), value=Cast("permission_id", text)
        )
        .values_list("kind", "value")
        .order_by()
    )
    found: dict[str, set[str]] = {_ROLE: set(), _USER_PERMISSION: set(), _GROUP_PERMISSION: set()}
    for kind, value in roles.union(own, via_groups, all=True):
        found[kind].add(value)
    remember_actor_roles(user, found[_ROLE])
    user._role_names = frozenset(found[_ROLE])
    if not user.is_superuser:  # a superuser has every permission: ModelBackend reads them all
        ids = {int(pk) for pk in found[_USER_PERMISSION] | found[_GROUP_PERMISSION]}
        names = _permission_names(ids)
        user._user_perm_cache = {names[int(pk)] for pk in found[_USER_PERMISSION]}
        user._group_perm_cache = {names[int(pk)] for pk in found[_GROUP_PERMISSION]}
        user._perm_cache = user._user_perm_cache | user._group_perm_cache
    setattr(user, _LOADED, True)


def role_names(user: Any) -> frozenset[str]:
    """The names of the user's groups (their roles, docs/adr/0003): from the permission query
    when this request ran it already, else from a plain groups query (GET /me needs the roles
    and no permission: the short query plans and runs faster than the union)."""
    if not getattr(user, _LOADED, False):
        return frozenset(actor_roles(user)) - {"superuser"}
    return user._role_names


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
