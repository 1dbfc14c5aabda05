"""Issue 8 item 2 (duties): nobody grants data access to themselves; privacy officers, admins,
staff and superusers hold no team role; no admin page chooses anyone's credentials; every
membership and role change is an access-log row the privacy officer can query."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from guardian.models import GroupObjectPermission, UserObjectPermission

from accounts.models import (
    LoginSession,
    MembershipRequest,
    TeamMembership,
)
from accounts.roles import COORDINATE_TEAM, WORK_TEAM_QUEUE, Role
from accounts.services import (
    TEAM_ROLES,
    team_membership_approve,
    team_membership_remove,
    team_membership_set,
    user_access_set,
)
from audit.context import AccessContext
from audit.models import AccessLog, Action
from backend.errors import DomainError
from signals.models import SignalUserObjectPermission
from tests.accounts.helpers import SYSTEM, admin_login, fresh, team_form
from tests.factories import PASSWORD, TeamFactory, UserFactory
from tests.fixtures import token_client
from tests.signals.factories import make_signal

pytestmark = pytest.mark.django_db

CONTEXT = AccessContext.system(role="test")


@pytest.fixture
def admin_user():
    return UserFactory(admin=True)


@pytest.fixture
def admin_client(admin_user):
    return admin_login(Client(), admin_user)


@pytest.fixture
def superuser_client():
    client = admin_login(Client(), UserFactory(is_superuser=True, is_staff=True))
    return client


def user_form(user, **overrides):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation_id,
        "language": "nl",
        "is_active": "on",
        # What a browser sends back: the team role groups are not offered on this form.
        "groups": [group.pk for group in user.groups.exclude(name__in=TEAM_ROLES)],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def group_id(role: str) -> int:
    return Group.objects.get(name=role).pk


def test_an_admin_cannot_give_itself_or_a_privacy_officer_a_team_role_in_the_team_admin(
    admin_client, admin_user
):
    team = TeamFactory()
    officer = UserFactory(privacy_officer=True)
    url = reverse("admin:accounts_team_change", args=[team.pk])
    for target in (admin_user, officer):
        response = admin_client.post(url, team_form(team, [(target, "coordinator")]))
        assert response.status_code == 200  # the form again, with the refusal on the row
        assert not TeamMembership.objects.filter(user=target).exists()
        assert not fresh(target).has_perm(WORK_TEAM_QUEUE)
    assert "geen teamrol" in response.content.decode()


def test_nobody_gives_themselves_a_team_role(admin_user):
    with pytest.raises(DomainError) as refused:
        team_membership_set(
            team=TeamFactory(), user=admin_user, role="member", actor=admin_user, context=CONTEXT
        )
    assert refused.value.code == "membership_self_grant"


@pytest.mark.parametrize(
    "traits",
    [{"privacy_officer": True}, {"admin": True}, {"is_staff": True}, {"is_superuser": True}],
)
def test_privacy_officers_admins_staff_and_superusers_hold_no_team_role(traits):
    privileged = UserFactory(**traits)
    with pytest.raises(DomainError) as refused:
        team_membership_set(team=TeamFactory(), user=privileged, role="member", **SYSTEM)
    assert refused.value.code == "team_role_for_privileged"
    assert refused.value.status == 409
    assert not TeamMembership.objects.filter(user=privileged).exists()


def test_someone_with_a_team_role_does_not_become_admin_privacy_officer_or_staff(
    superuser_client,
):
    member = UserFactory()
    team_membership_set(team=TeamFactory(), user=member, role="member", **SYSTEM)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    for change in (
        {"groups": [group_id(Role.PRIVACY_OFFICER)]},
        {"groups": [group_id(Role.ADMIN)]},
        {"is_staff": "on"},
        {"is_superuser": "on"},
    ):
        response = superuser_client.post(url, user_form(member, **change))
        assert response.status_code == 200, change  # refused on the form
        assert "teamrol" in response.content.decode()
    member = fresh(member)
    assert not (member.is_staff or member.is_superuser)
    assert set(member.groups.values_list("name", flat=True)) == {Role.TEAM_MEMBER}
    with pytest.raises(DomainError) as refused:
        user_access_set(user=member, roles=[Role.PRIVACY_OFFICER], **SYSTEM)
    assert refused.value.code == "privileged_role_with_team"


def test_only_a_superuser_grants_the_admin_and_privacy_officer_roles(admin_user):
    worker = UserFactory(field_worker=True)
    for roles in ([Role.FIELD_WORKER, Role.PRIVACY_OFFICER], [Role.FIELD_WORKER, Role.ADMIN]):
        with pytest.raises(DomainError) as refused:
            user_access_set(user=worker, roles=roles, actor=admin_user, context=CONTEXT)
        assert refused.value.code == "role_change_not_allowed"
    with pytest.raises(DomainError):
        user_access_set(
            user=worker, roles=[Role.FIELD_WORKER], is_staff=True, actor=admin_user, context=CONTEXT
        )
    assert user_access_set(user=worker, roles=[], actor=admin_user, context=CONTEXT) is True
    assert not fresh(worker).groups.exists()


def test_nobody_changes_their_own_roles():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(DomainError) as refused:
        user_access_set(
            user=superuser, roles=[Role.PRIVACY_OFFICER], actor=superuser, context=CONTEXT
        )
    assert refused.value.code == "role_self_change"


def test_team_roles_are_not_given_without_a_membership():
    with pytest.raises(DomainError) as refused:
        user_access_set(user=UserFactory(), roles=[Role.TEAM_COORDINATOR], **SYSTEM)
    assert refused.value.code == "role_via_membership"


def test_team_role_groups_follow_the_memberships():
    first, second = TeamFactory(), TeamFactory()
    user = UserFactory()
    team_membership_set(team=first, user=user, role="coordinator", **SYSTEM)
    team_membership_set(team=second, user=user, role="member", **SYSTEM)
    assert fresh(user).has_perm(COORDINATE_TEAM)
    team_membership_set(team=first, user=user, role="member", **SYSTEM)  # demoted
    assert not fresh(user).has_perm(COORDINATE_TEAM)
    team_membership_remove(team=first, user=user, **SYSTEM)
    assert fresh(user).has_perm(WORK_TEAM_QUEUE)  # still in the second team
    team_membership_remove(team=second, user=user, **SYSTEM)
    assert not fresh(user).has_perm(WORK_TEAM_QUEUE)
    assert not fresh(user).groups.exists()


def test_removing_and_swapping_members_in_the_team_admin_goes_through_the_services(
    admin_client,
):
    team = TeamFactory()
    leaving, joining = UserFactory(), UserFactory()
    membership = team_membership_set(team=team, user=leaving, role="member", **SYSTEM)
    data = team_form(team, [(joining, "member")])
    data.update({"memberships-INITIAL_FORMS": "1", "memberships-0-id": membership.pk})
    data["memberships-0-team"] = team.pk
    response = admin_client.post(reverse("admin:accounts_team_change", args=[team.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    assert not fresh(leaving).has_perm(WORK_TEAM_QUEUE)  # taking access away: at once
    assert not team.memberships.exists()  # joining waits for a second person (docs/adr/0034)
    assert not fresh(joining).has_perm(WORK_TEAM_QUEUE)
    pending = MembershipRequest.objects.get(team=team, user=joining)
    team_membership_approve(request_id=pending.pk, actor=UserFactory(admin=True), context=CONTEXT)
    assert list(team.memberships.values_list("user_id", flat=True)) == [joining.pk]
    assert fresh(joining).has_perm(WORK_TEAM_QUEUE)
    changes = AccessLog.objects.filter(action=Action.MEMBERSHIP_CHANGE).order_by("occurred_at")
    assert [(row.object_id, row.details["change"]) for row in changes] == [
        (str(leaving.pk), "added"),
        (str(leaving.pk), "removed"),
        (str(joining.pk), "requested"),
        (str(joining.pk), "added"),
    ]


def test_every_membership_and_role_change_is_a_row_the_privacy_officer_can_query(
    admin_client, admin_user
):
    team = TeamFactory()
    worker = UserFactory()
    admin_client.post(
        reverse("admin:accounts_user_change", args=[worker.pk]),
        user_form(worker, groups=[group_id(Role.FIELD_WORKER)]),
    )
    admin_client.post(
        reverse("admin:accounts_team_change", args=[team.pk]),
        team_form(team, [(worker, "member")]),
    )
    officer = token_client(UserFactory(privacy_officer=True))
    response = officer.get(
        reverse("audit-access-log"), {"object_type": "accounts.user", "object_id": worker.pk}
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["action"], r["actor_id"]) for r in rows] == [
        (Action.MEMBERSHIP_CHANGE, str(admin_user.pk)),
        (Action.ROLE_CHANGE, str(admin_user.pk)),
    ]
    assert rows[0]["details"] == {
        "change": "requested",
        "team_id": str(team.pk),
        "role": "member",
        "request_id": str(MembershipRequest.objects.get(user=worker).pk),
    }
    assert rows[1]["details"] == {"added": [Role.FIELD_WORKER], "removed": []}
    assert worker.email not in str(rows)


def test_no_admin_page_sets_another_users_password(superuser_client):
    target = UserFactory(admin=True)
    new = "Gekozen-door-beheer-99"
    superuser_client.post(
        f"/admin/accounts/user/{target.pk}/password/", {"password1": new, "password2": new}
    )
    superuser_client.post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        user_form(target, password=new, is_staff="on"),
    )
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert not target.check_password(new)
    change_page = superuser_client.get(reverse("admin:accounts_user_change", args=[target.pk]))
    assert b"/password/" not in change_page.content


def test_the_second_factor_device_admins_are_not_offered(superuser_client):
    for url in ("/admin/otp_totp/totpdevice/add/", "/admin/otp_static/staticdevice/add/"):
        assert superuser_client.get(url).status_code == 404, url


def test_a_revoked_login_session_cannot_be_revived_in_the_admin(superuser_client):
    client = token_client(UserFactory())
    session = LoginSession.objects.get()
    client.post(reverse("auth-logout"), {}, format="json")
    url = reverse("admin:accounts_loginsession_change", args=[session.pk])
    superuser_client.post(url, {"revoked_at_0": "", "revoked_at_1": "", "revoked_reason": ""})
    session.refresh_from_db()
    assert session.revoked_at is not None


def test_deleting_a_team_in_the_admin_ends_and_logs_its_memberships(admin_client):
    team = TeamFactory()
    member = UserFactory()
    team_membership_set(team=team, user=member, role="member", **SYSTEM)
    url = reverse("admin:accounts_team_delete", args=[team.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not fresh(member).has_perm(WORK_TEAM_QUEUE)
    removed = AccessLog.objects.get(action=Action.MEMBERSHIP_CHANGE, details__change="removed")
    assert removed.object_id == str(member.pk)


def test_no_admin_page_grants_object_permissions_on_a_team_or_signal(admin_user, admin_client):
    """django-guardian's object-permission pages (GuardedModelAdmin) let the functional admin
    grant itself view permission on a team (and offered the same on signals). Object
    permissions come only from the break-glass service now."""
    team, signal = TeamFactory(), make_signal()
    group = Group.objects.get(name=Role.TEAM_MEMBER)
    for model, obj, perm in (
        ("accounts/team", team, "view_team"),
        ("signals/signal", signal, "view_signal"),
    ):
        base = f"/admin/{model}/{obj.pk}/permissions/"
        assert admin_client.get(base).status_code == 302  # no such page: the object redirect
        admin_client.post(f"{base}user-manage/{admin_user.pk}/", {"permissions": [perm]})
        admin_client.post(f"{base}group-manage/{group.pk}/", {"permissions": [perm]})
    for model in (UserObjectPermission, GroupObjectPermission, SignalUserObjectPermission):
        assert not model.objects.exists(), model
    assert not admin_user.has_perm("accounts.view_team", team)
