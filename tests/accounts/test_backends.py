"""accounts.backends: roles and permissions in one query give exactly what Django's own
ModelBackend gives, for own and group permissions, a permission added while the process runs,
superusers and inactive users (docs/adr/0029)."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from accounts.backends import load_roles_and_permissions, role_names
from accounts.models import User
from accounts.roles import Role
from audit.context import actor_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def model_backend_permissions(user: User) -> tuple[set, set]:
    backend, user = ModelBackend(), fresh(user)
    return backend.get_user_permissions(user), backend.get_group_permissions(user)


def test_the_same_permissions_and_roles_as_django_reads_in_three_queries(
    django_assert_num_queries,
):
    user = UserFactory(roles=[Role.TEAM_COORDINATOR, Role.FIELD_WORKER])
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    own, via_groups = model_backend_permissions(user)
    loaded = fresh(user)
    load_roles_and_permissions(loaded)
    with django_assert_num_queries(0):  # everything below reads what was loaded
        assert loaded.get_user_permissions() == own == {"accounts.view_user"}
        assert loaded.get_group_permissions() == via_groups
        assert loaded.get_all_permissions() == own | via_groups
        assert loaded.has_perm("accounts.coordinate_team")
        assert not loaded.has_perm("accounts.view_access_log")
        assert role_names(loaded) == {"team_coordinator", "field_worker"}
        assert actor_roles(loaded) == ["field_worker", "team_coordinator"]


def test_a_permission_created_while_the_process_runs_is_named():
    user = UserFactory(field_worker=True)
    load_roles_and_permissions(fresh(user))  # the map of names is read now
    content_type = ContentType.objects.get_for_model(User)
    late = Permission.objects.create(codename="late_capability", content_type=content_type)
    Group.objects.get(name=Role.FIELD_WORKER).permissions.add(late)
    assert fresh(user).has_perm("accounts.late_capability")


def test_a_superuser_has_every_permission_and_an_inactive_user_none():
    admin = UserFactory(is_superuser=True)
    assert fresh(admin).get_all_permissions() == ModelBackend().get_all_permissions(fresh(admin))
    assert "superuser" in actor_roles(fresh(admin))
    gone = UserFactory(field_worker=True, is_active=False)
    assert fresh(gone).get_all_permissions() == set()
    assert not fresh(gone).has_perm("accounts.submit_signal")
