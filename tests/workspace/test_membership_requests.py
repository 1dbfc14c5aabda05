"""Issue 18 item 5 in the workspace: a coordinator sees the team roles an admin requested for
their team and approves or refuses them there; the role gives nothing until then
(docs/adr/0034). Words, never codes, in Dutch and English."""

import pytest

from accounts.models import MembershipRequest, TeamMembership, TeamRole
from accounts.roles import WORK_TEAM_QUEUE
from accounts.services import team_membership_request
from audit.context import AccessContext
from audit.models import AccessLog, Action
from tests.factories import UserFactory, member_of
from tests.workspace.helpers import two_teams, workspace_login

pytestmark = pytest.mark.django_db

PAGE = "/werkruimte/coordinatie/"


def decide_url(pending: MembershipRequest) -> str:
    return f"/werkruimte/coordinatie/teamrollen/{pending.pk}/"


def requested(team, **user_fields) -> MembershipRequest:
    return team_membership_request(
        team=team,
        user=UserFactory(**user_fields),
        role=TeamRole.MEMBER,
        actor=UserFactory(admin=True),
        context=AccessContext.system(role="test"),
    )


def test_the_coordinator_sees_the_request_in_words_and_approves_it(client):
    world = two_teams()
    pending = requested(world.a, full_name="Nina Nieuw")
    requested(world.b, full_name="Bram Elders")  # another team's: not shown
    workspace_login(client, world.coordinator)
    page = client.get(PAGE).content.decode()
    assert "Teamrollen die op jouw goedkeuring wachten" in page
    assert "Nina Nieuw" in page and "Teamlid" in page and "Bram Elders" not in page
    assert ">member<" not in page

    response = client.post(decide_url(pending), {"decision": "approve"}, follow=True)
    assert "Goedgekeurd: de teamrol gaat nu in." in response.content.decode()
    person = type(pending.user).objects.get(pk=pending.user_id)
    assert person.has_perm(WORK_TEAM_QUEUE)
    row = AccessLog.objects.get(
        action=Action.MEMBERSHIP_CHANGE, details__change="added", object_id=str(person.pk)
    )
    assert row.actor_id == world.coordinator.pk
    after = client.get(PAGE)
    assert "Teamrollen die op jouw goedkeuring wachten" not in after.content.decode()
    assert person.pk in {m.user_id for m in after.context["teams"][0].members}


def test_the_page_is_in_english_too(client):
    world = two_teams()
    requested(world.a, full_name="Nina Nieuw")
    workspace_login(client, world.coordinator)
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Team roles waiting for your approval" in page
    assert "Approve" in page and "Refuse" in page and "Team member" in page


def test_a_refused_request_gives_nothing(client):
    world = two_teams()
    pending = requested(world.a)
    workspace_login(client, world.coordinator)
    response = client.post(decide_url(pending), {"decision": "refuse"}, follow=True)
    assert "Afgewezen: de teamrol wordt niet gegeven." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == MembershipRequest.Status.REFUSED
    assert not TeamMembership.objects.filter(user=pending.user).exists()


def test_another_teams_request_is_not_found_and_stays_pending(client):
    world = two_teams()
    pending = requested(world.b)
    workspace_login(client, world.coordinator)
    assert client.post(decide_url(pending), {"decision": "approve"}).status_code == 404
    pending.refresh_from_db()
    assert pending.status == MembershipRequest.Status.PENDING


def test_a_member_who_is_no_coordinator_cannot_decide(client):
    world = two_teams()
    pending = requested(world.a)
    workspace_login(client, member_of(world.a))
    assert client.post(decide_url(pending), {"decision": "approve"}).status_code == 403
    assert not TeamMembership.objects.filter(user=pending.user).exists()


def test_a_decision_that_is_neither_is_refused_without_a_change(client):
    world = two_teams()
    pending = requested(world.a)
    workspace_login(client, world.coordinator)
    response = client.post(decide_url(pending), {"decision": "both"}, follow=True)
    assert "Kies goedkeuren of afwijzen." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == MembershipRequest.Status.PENDING
