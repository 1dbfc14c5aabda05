"""The functional admin manages field workers and teams through /admin/, but cannot make anyone
superuser, admin or privacy officer, nor take over such an account."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import MembershipRequest, TeamRole
from accounts.roles import WORK_TEAM_QUEUE, Role
from tests.accounts.helpers import admin_login
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    """A functional admin logged in to /admin/ with password and TOTP code."""
    admin_user = UserFactory(admin=True)
    device = TOTPDevice.objects.create(user=admin_user, name="authenticator", confirmed=True)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    response = client.post(
        reverse("admin:login"),
        {
            "username": admin_user.email,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code,
        },
    )
    assert response.status_code == 302
    client.user = admin_user
    return client


def change_form_post(user, **overrides):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation_id,
        "language": "nl",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(overrides)
    return data


def group_id(role: str) -> int:
    return Group.objects.get(name=role).pk


def test_admin_cannot_raise_itself(admin_client):
    me = admin_client.user
    url = reverse("admin:accounts_user_change", args=[me.pk])
    admin_client.post(
        url,
        change_form_post(
            me, is_superuser="on", groups=[group_id(Role.ADMIN), group_id(Role.PRIVACY_OFFICER)]
        ),
    )
    me.refresh_from_db()
    assert not me.is_superuser
    assert sorted(me.groups.values_list("name", flat=True)) == [Role.ADMIN]


def test_admin_can_grant_field_worker_but_not_privacy_officer(admin_client):
    worker = UserFactory()
    url = reverse("admin:accounts_user_change", args=[worker.pk])
    response = admin_client.post(
        url,
        change_form_post(
            worker, groups=[group_id(Role.FIELD_WORKER), group_id(Role.PRIVACY_OFFICER)]
        ),
    )
    assert response.status_code == 200  # the privileged choice is not offered: form error
    worker.refresh_from_db()
    assert not worker.groups.exists()
    response = admin_client.post(
        url, change_form_post(worker, groups=[group_id(Role.FIELD_WORKER)])
    )
    assert response.status_code == 302
    assert list(worker.groups.values_list("name", flat=True)) == [Role.FIELD_WORKER]


def test_admin_cannot_change_a_privacy_officer_or_superuser(admin_client):
    for target in (UserFactory(privacy_officer=True), UserFactory(is_superuser=True)):
        url = reverse("admin:accounts_user_change", args=[target.pk])
        admin_client.post(url, change_form_post(target, email="taken-over@example.test"))
        target.refresh_from_db()
        assert target.email != "taken-over@example.test"
        # The password page Django's UserAdmin had is gone (docs/adr/0016); its old address must
        # not change anything either.
        password_url = f"/admin/accounts/user/{target.pk}/password/"
        admin_client.post(
            password_url, {"password1": "N3w-passw0rd!x", "password2": "N3w-passw0rd!x"}
        )
        target.refresh_from_db()
        assert target.check_password(PASSWORD)


def test_membership_added_in_the_team_admin_brings_the_role_once_a_second_admin_approves(
    admin_client,
):
    team = TeamFactory()
    newcomer = UserFactory()
    url = reverse("admin:accounts_team_change", args=[team.pk])
    response = admin_client.post(
        url,
        {
            "organisation": team.organisation_id,
            "name": team.name,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": newcomer.pk,
            "memberships-0-role": TeamRole.MEMBER,
            "coverage-TOTAL_FORMS": "0",
            "coverage-INITIAL_FORMS": "0",
            "coverage-MIN_NUM_FORMS": "0",
            "coverage-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)  # fresh permission cache
    assert not newcomer.has_perm(WORK_TEAM_QUEUE)  # requested, not yet approved
    second = admin_login(Client(), UserFactory(admin=True))
    pending = MembershipRequest.objects.get(team=team, user=newcomer)
    changelist = reverse("admin:accounts_membershiprequest_changelist")
    decided = second.post(changelist, {"action": "approve", "_selected_action": [pending.pk]})
    assert decided.status_code == 302
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert newcomer.has_perm(WORK_TEAM_QUEUE)
