import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts import roles
from accounts.migration_helpers import sync_role_permissions
from accounts.models import TeamRole
from accounts.roles import COORDINATE_TEAM, ROLE_PERMISSIONS, SUBMIT_SIGNAL, WORK_TEAM_QUEUE, Role
from tests.factories import TeamFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

PERMISSION = re.compile(r"[a-z]+\.[a-z_]+")
ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "audit", "signals", "initiatives", "notifications", "outcomes", "privacy"]
APPS += ["workspace", "backend"]


def _granted(group: Group) -> set[str]:
    return {
        f"{app}.{code}"
        for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


def _capabilities() -> dict[str, str]:
    """The permission constants accounts.roles declares: what the code checks."""
    return {
        name: value
        for name, value in vars(roles).items()
        if name.isupper() and isinstance(value, str) and PERMISSION.fullmatch(value)
    }


def test_every_role_holds_exactly_its_declared_permissions():
    """Both directions: a grant missing from a role and a grant a role has beyond the
    declaration both fail (docs/adr/0040)."""
    assert {str(role) for role in ROLE_PERMISSIONS} == {r.value for r in Role}
    for role in Role:
        assert _granted(Group.objects.get(name=role)) == set(ROLE_PERMISSIONS[role]), role


def test_every_declared_permission_exists():
    existing = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    declared = {p for permissions in ROLE_PERMISSIONS.values() for p in permissions}
    assert declared <= existing


def test_every_capability_the_code_checks_is_granted_to_a_role():
    granted = {p for permissions in ROLE_PERMISSIONS.values() for p in permissions}
    capabilities = _capabilities()
    assert {"SUBMIT_SIGNAL", "BREAK_GLASS", "VIEW_STATISTICS", "CHANGE_USER"} <= set(capabilities)
    assert {name for name, value in capabilities.items() if value not in granted} == set()


def _permission_literals() -> set[str]:
    """Every string in the apps' code (not migrations) that names an existing permission."""
    existing = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and node.value in existing:
                    found.add(node.value)
    return found


def test_every_permission_named_in_the_code_is_granted_to_a_role():
    """A permission checked by a literal outside accounts.roles is caught too."""
    granted = {p for permissions in ROLE_PERMISSIONS.values() for p in permissions}
    literals = _permission_literals()
    assert "accounts.change_teammembership" in literals  # accounts/admin.py checks it
    assert literals - granted == set()


def test_sync_removes_a_grant_beyond_the_declaration():
    """The migration helper takes away what the declaration does not grant, not only adds."""
    extra = Permission.objects.get(content_type__app_label="accounts", codename="delete_user")
    Group.objects.get(name=Role.TEAM_MEMBER).permissions.add(extra)
    historical = MigrationExecutor(connection).loader.project_state().apps
    sync_role_permissions(historical, ROLE_PERMISSIONS)
    assert _granted(Group.objects.get(name=Role.TEAM_MEMBER)) == set(
        ROLE_PERMISSIONS[Role.TEAM_MEMBER]
    )


def test_field_worker_can_submit_but_not_work_a_queue():
    user = UserFactory(field_worker=True)
    assert user.has_perm(SUBMIT_SIGNAL)
    assert not user.has_perm(WORK_TEAM_QUEUE)


def test_membership_role_brings_the_matching_capabilities():
    team = TeamFactory()
    member = member_of(team)
    coordinator = member_of(team, TeamRole.COORDINATOR)
    assert member.has_perm(WORK_TEAM_QUEUE) and not member.has_perm(COORDINATE_TEAM)
    assert coordinator.has_perm(COORDINATE_TEAM)


def test_privacy_officer_has_no_routine_queue_access():
    officer = UserFactory(privacy_officer=True)
    assert not officer.has_perm(WORK_TEAM_QUEUE)
    assert not officer.has_perm(SUBMIT_SIGNAL)
    assert officer.has_perm("accounts.view_access_log")


def test_admin_maintains_retention_periods_and_officer_reads_them():
    admin = UserFactory(admin=True)
    officer = UserFactory(privacy_officer=True)
    assert admin.has_perm("privacy.change_retentionpolicy")
    assert officer.has_perm("privacy.view_retentionpolicy")
    assert not officer.has_perm("privacy.change_retentionpolicy")
