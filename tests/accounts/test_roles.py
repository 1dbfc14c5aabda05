import pytest
from django.contrib.auth.models import Group

from accounts.models import TeamRole
from accounts.roles import COORDINATE_TEAM, ROLE_PERMISSIONS, SUBMIT_SIGNAL, WORK_TEAM_QUEUE, Role
from tests.factories import TeamFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_migration_creates_one_group_per_role_with_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    for role, expected in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        }
        assert set(expected) <= granted, role


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
