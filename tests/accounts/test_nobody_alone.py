"""Issue 18 item 5: nobody reaches resident data alone (docs/adr/0034).

The functional admin used to (1) reset a team member's credentials, be shown the one-time code,
set a password with it, link its own authenticator and read residents; and (2) create an
account, put it in a team and reach the queue the same way. Now the code goes by e-mail to the
account holder only, and a team role takes effect only when a second person approves it: a
coordinator of the team, or a second admin where the team has none."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.actors import SystemActor
from accounts.models import CredentialCode, MembershipRequest, TeamMembership, TeamRole, User
from accounts.roles import WORK_TEAM_QUEUE, Role
from accounts.services import (
    team_membership_approve,
    team_membership_refuse,
    team_membership_request,
    team_membership_set,
    user_access_set,
)
from audit.context import AccessContext
from audit.models import AccessLog, Action
from backend.errors import DomainError
from signals.models import Status
from tests.accounts.helpers import CODE_PATTERN, admin_login, fresh, mailed_code, team_form
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

CONTEXT = AccessContext.system(role="test")
USERS = reverse("admin:accounts_user_changelist")
REQUESTS = reverse("admin:accounts_membershiprequest_changelist")
SET = reverse("auth-credentials-set")
QUEUE = reverse("queue")


def queue_ids(client: APIClient) -> list[str] | int:
    response = client.get(QUEUE)
    if response.status_code != 200:
        return response.status_code
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def team_and_signal():
    """A team with a coordinator and a signal routed to it."""
    team = team_with_coverage()
    coordinator = member_of(team, TeamRole.COORDINATOR)
    signal = make_signal(state=Status.ROUTED)
    assert signal.team_id == team.pk
    return team, coordinator, signal


# --- path 1: reset credentials, take the account over ------------------------------------------


def test_the_admin_never_sees_the_code_of_a_reset_it_makes(admin_client, member):
    selected = {"action": "reset_credentials", "_selected_action": [member.pk]}
    pages = [admin_client.post(USERS, selected)]
    pages.append(admin_client.post(USERS, {**selected, "confirm": "yes"}))
    pages.append(admin_client.get(reverse("admin:accounts_user_change", args=[member.pk])))
    code = mailed_code(member)  # the holder's mailbox; the admin has no way into it
    pages.append(admin_client.get(reverse("admin:accounts_user_change", args=[member.pk])))
    seen = " ".join(page.content.decode() for page in pages)
    assert code not in seen and not CODE_PATTERN.search(seen)
    assert "verstuurd naar" in pages[-1].content.decode()

    # Whatever code-shaped text the admin saw, none sets the password; the real code does.
    for guess in [*CODE_PATTERN.findall(seen), ""]:
        body = {"email": member.email, "code": guess, "password": "overgenomen-door-beheer-1"}
        assert APIClient().post(SET, body, format="json").status_code == 400
    assert not fresh(member).has_usable_password()
    body = {"email": member.email, "code": code, "password": "zelf-gekozen-wachtwoord-31"}
    assert APIClient().post(SET, body, format="json").status_code == 204


def test_before_it_is_sent_the_code_does_not_exist(admin_client, member):
    selected = {"action": "reset_credentials", "_selected_action": [member.pk], "confirm": "yes"}
    admin_client.post(USERS, selected)
    stored = CredentialCode.objects.get(user=member)
    assert stored.code_hash == "" and stored.sent_at is None  # made by the sending task


def test_an_account_without_an_email_address_cannot_be_reset(admin_client, member):
    User.objects.filter(pk=member.pk).update(email="")
    selected = {"action": "reset_credentials", "_selected_action": [member.pk], "confirm": "yes"}
    response = admin_client.post(USERS, selected, follow=True)
    assert "geen e-mailadres" in response.content.decode()
    assert fresh(member).has_usable_password()  # nothing changed
    assert not CredentialCode.objects.exists()
    action = {**selected, "action": "reset_second_factor"}
    response = admin_client.post(USERS, action, follow=True)
    assert "geen e-mailadres" in response.content.decode()
    assert not CredentialCode.objects.exists()


# --- path 2: put an account in a team, read the queue ------------------------------------------


def test_an_account_the_admin_puts_in_a_team_reaches_nothing_until_a_coordinator_approves(
    admin_client, team_and_signal
):
    team, coordinator, signal = team_and_signal
    newcomer = UserFactory()
    newcomer_app = token_client(newcomer)
    url = reverse("admin:accounts_team_change", args=[team.pk])
    response = admin_client.post(url, team_form(team, [(newcomer, TeamRole.MEMBER)]))
    assert response.status_code == 302, response.content[:2000]

    assert not TeamMembership.objects.filter(user=newcomer).exists()
    assert not fresh(newcomer).has_perm(WORK_TEAM_QUEUE)
    assert queue_ids(newcomer_app) == 403
    detail = newcomer_app.get(reverse("signal-detail", args=[signal.pk]))
    assert detail.status_code == 403
    pending = MembershipRequest.objects.get(team=team, user=newcomer)

    # The admin cannot approve its own request, in the admin or otherwise.
    admin_client.post(REQUESTS, {"action": "approve", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == MembershipRequest.Status.PENDING
    with pytest.raises(DomainError) as refused:
        team_membership_approve(request_id=pending.pk, actor=admin_client.user, context=CONTEXT)
    assert refused.value.code == "membership_approval_by_requester"
    # Nor can a second admin while the team has a coordinator, nor the person themselves.
    with pytest.raises(DomainError) as refused:
        team_membership_approve(
            request_id=pending.pk, actor=UserFactory(admin=True), context=CONTEXT
        )
    assert refused.value.code == "membership_approval_not_allowed"
    assert queue_ids(newcomer_app) == 403

    # The team's coordinator approves: now, and only now, the queue opens.
    decided = token_client(coordinator).post(
        reverse("membership-request-approve", args=[pending.pk]), {}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "approved"
    assert queue_ids(newcomer_app) == [str(signal.pk)]

    rows = AccessLog.objects.filter(
        action=Action.MEMBERSHIP_CHANGE, object_id=str(newcomer.pk)
    ).order_by("occurred_at")
    assert [(row.details["change"], row.actor_id) for row in rows] == [
        ("requested", admin_client.user.pk),
        ("added", coordinator.pk),
    ]
    assert rows[1].authorisation_rule == "membership_approval:team_coordinator"
    assert rows[1].details["requested_by"] == str(admin_client.user.pk)
    assert rows[1].details["request_id"] == str(pending.pk)


def test_the_privacy_officer_queries_every_step(admin_client, team_and_signal):
    team, coordinator, _signal = team_and_signal
    newcomer = UserFactory()
    admin_client.post(
        reverse("admin:accounts_team_change", args=[team.pk]),
        team_form(team, [(newcomer, TeamRole.MEMBER)]),
    )
    pending = MembershipRequest.objects.get(user=newcomer)
    team_membership_refuse(
        request_id=pending.pk, actor=coordinator, context=AccessContext.current(coordinator)
    )
    officer = token_client(UserFactory(privacy_officer=True))
    response = officer.get(
        reverse("audit-access-log"), {"object_type": "accounts.user", "object_id": newcomer.pk}
    )
    assert response.status_code == 200
    steps = [(r["details"]["change"], r["actor_id"]) for r in response.json()["results"]]
    assert sorted(steps) == sorted(
        [("requested", str(admin_client.user.pk)), ("refused", str(coordinator.pk))]
    )
    assert not TeamMembership.objects.filter(user=newcomer).exists()


def test_a_team_without_a_coordinator_needs_a_second_admin():
    team = team_with_coverage()
    signal = make_signal(state=Status.ROUTED)
    requester, second = UserFactory(admin=True), UserFactory(admin=True)
    newcomer = UserFactory()
    pending = team_membership_request(
        team=team, user=newcomer, role=TeamRole.MEMBER, actor=requester, context=CONTEXT
    )
    first = admin_login(Client(), requester)
    first.post(REQUESTS, {"action": "approve", "_selected_action": [pending.pk]})
    assert not TeamMembership.objects.filter(user=newcomer).exists()

    other = admin_login(Client(), second)
    response = other.post(REQUESTS, {"action": "approve", "_selected_action": [pending.pk]})
    assert response.status_code == 302
    assert queue_ids(token_client(newcomer)) == [str(signal.pk)]
    row = AccessLog.objects.get(action=Action.MEMBERSHIP_CHANGE, details__change="added")
    assert (row.actor_id, row.authorisation_rule) == (
        second.pk,
        "membership_approval:second_admin",
    )


def test_a_person_cannot_approve_their_own_role():
    team = team_with_coverage()
    coordinator = member_of(team, TeamRole.COORDINATOR)
    pending = team_membership_request(
        team=team,
        user=coordinator,
        role=TeamRole.MEMBER,
        actor=UserFactory(admin=True),
        context=CONTEXT,
    )
    assert pending is None  # coordinator to member takes access away: at once
    member = member_of(team)
    promotion = team_membership_request(
        team=team,
        user=member,
        role=TeamRole.COORDINATOR,
        actor=SystemActor("test"),
        context=CONTEXT,
    )
    assert promotion is not None
    with pytest.raises(MembershipRequest.DoesNotExist):  # not among what they may decide
        team_membership_approve(request_id=promotion.pk, actor=member, context=CONTEXT)
    assert fresh(member).memberships.get().role == TeamRole.MEMBER


def test_the_direct_path_no_longer_grants_access_to_a_person():
    team = team_with_coverage()
    with pytest.raises(DomainError) as refused:
        team_membership_set(
            team=team,
            user=UserFactory(),
            role=TeamRole.MEMBER,
            actor=UserFactory(admin=True),
            context=CONTEXT,
        )
    assert refused.value.code == "membership_approval_required"
    assert not TeamMembership.objects.exists()


def test_a_coordinator_sees_and_decides_only_their_own_teams_requests(team_and_signal):
    team, coordinator, _signal = team_and_signal
    elsewhere = team_with_coverage(name="Buurtteam Elders", postcode="3512AB")
    other_coordinator = member_of(elsewhere, TeamRole.COORDINATOR)
    admin = UserFactory(admin=True)
    here = team_membership_request(
        team=team, user=UserFactory(), role=TeamRole.MEMBER, actor=admin, context=CONTEXT
    )
    there = team_membership_request(
        team=elsewhere, user=UserFactory(), role=TeamRole.MEMBER, actor=admin, context=CONTEXT
    )
    listed = token_client(coordinator).get(reverse("membership-request-list"))
    assert [row["id"] for row in listed.json()] == [str(here.pk)]
    foreign = token_client(other_coordinator).post(
        reverse("membership-request-approve", args=[here.pk]), {}, format="json"
    )
    assert foreign.status_code == 404
    refused = token_client(coordinator).post(
        reverse("membership-request-refuse", args=[there.pk]), {}, format="json"
    )
    assert refused.status_code == 404
    assert MembershipRequest.objects.filter(status=MembershipRequest.Status.PENDING).count() == 2


def test_a_decided_request_cannot_be_decided_again(team_and_signal):
    team, coordinator, _signal = team_and_signal
    pending = team_membership_request(
        team=team,
        user=UserFactory(),
        role=TeamRole.MEMBER,
        actor=UserFactory(admin=True),
        context=CONTEXT,
    )
    team_membership_refuse(request_id=pending.pk, actor=coordinator, context=CONTEXT)
    answer = token_client(coordinator).post(
        reverse("membership-request-approve", args=[pending.pk]), {}, format="json"
    )
    assert answer.status_code == 404  # only pending requests are there to decide
    assert not TeamMembership.objects.filter(user=pending.user).exists()


def test_someone_made_admin_while_waiting_is_not_given_the_team_role(team_and_signal):
    team, coordinator, _signal = team_and_signal
    person = UserFactory()
    pending = team_membership_request(
        team=team, user=person, role=TeamRole.MEMBER, actor=UserFactory(admin=True), context=CONTEXT
    )
    user_access_set(
        user=person, roles=[Role.ADMIN], is_staff=True, actor=SystemActor("test"), context=CONTEXT
    )
    with pytest.raises(DomainError) as refused:
        team_membership_approve(request_id=pending.pk, actor=coordinator, context=CONTEXT)
    assert refused.value.code == "team_role_for_privileged"
    assert not TeamMembership.objects.filter(user=person).exists()


def _change_email_in_the_admin(admin_client, user: User, email: str) -> None:
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(email=email, is_active="on", full_name=user.full_name, groups=[])
    data["organisation"] = user.organisation_id or ""
    for flag in ("is_staff", "is_superuser"):
        data.pop(flag, None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_pointing_a_members_address_at_the_admin_suspends_the_team_role(
    admin_client, team_and_signal
):
    """Found in the attack review of issue 18: the admin set a member's e-mail address to its
    own mailbox, reset the credentials, received the code, set a password, linked its own
    authenticator and read the queue as that member, alone. An address changed by someone
    else now turns the member's team roles into requests a second person must approve."""
    team, coordinator, signal = team_and_signal
    member = member_of(team, email="lid@example.test")
    taken = "beheerder.prive@example.org"
    _change_email_in_the_admin(admin_client, member, taken)

    member = fresh(member)
    assert member.email == taken
    assert not TeamMembership.objects.filter(user=member).exists()
    pending = MembershipRequest.objects.get(user=member, status=MembershipRequest.Status.PENDING)
    assert (pending.team_id, pending.role) == (team.pk, TeamRole.MEMBER)
    changed = AccessLog.objects.get(
        action=Action.CREDENTIAL_CHANGE, object_id=str(member.pk), details__change="email_changed"
    )
    assert changed.actor_id == admin_client.user.pk
    assert changed.details["from"] != changed.details["to"] and "@" in changed.details["to"]

    # The rest of the takeover: reset, the code in the admin's mailbox, a password, a token.
    admin_client.post(
        USERS, {"action": "reset_credentials", "_selected_action": [member.pk], "confirm": "yes"}
    )
    code = mailed_code(member)
    body = {"email": taken, "code": code, "password": "beheer-neemt-over-123"}
    assert APIClient().post(SET, body, format="json").status_code == 204
    assert queue_ids(token_client(fresh(member))) == 403  # no team role: nothing to read

    # The coordinator, a second person, gives the role back.
    decided = token_client(coordinator).post(
        reverse("membership-request-approve", args=[pending.pk]), {}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    assert queue_ids(token_client(fresh(member))) == [str(signal.pk)]


def test_the_holder_changing_their_own_address_keeps_their_team_role(team_and_signal):
    from accounts.services import user_email_change

    team, _, _ = team_and_signal
    member = member_of(team, email="lid@example.test")
    assert user_email_change(
        user=member, email="Lid.Nieuw@Example.test", actor=member, context=CONTEXT
    )
    assert fresh(member).email == "lid.nieuw@example.test"
    assert TeamMembership.objects.filter(user=member, team=team).exists()
