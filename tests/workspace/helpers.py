"""Logging in to the workspace through its real pages, and a world of two teams."""

from dataclasses import dataclass

from django.test import Client

from accounts.models import Team, TeamRole, User
from signals.models import Signal, Status
from tests.accounts.helpers import fresh_code, totp_device
from tests.factories import PASSWORD, TeamFactory, member_of
from tests.signals.factories import make_signal, team_with_coverage

LOGIN = "/werkruimte/inloggen/"


def workspace_login(client: Client, user: User, device=None) -> Client:
    """Password, then a TOTP code, through the login pages."""
    device = device or totp_device(user)
    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith("/code/"), response
    response = client.post(LOGIN + "code/", {"code": fresh_code(device)})
    assert response.status_code == 302, response.content[:500]
    return client


@dataclass
class Teams:
    a: Team
    b: Team
    member: User
    coordinator: User
    other_member: User
    signal: Signal  # team A's, routed
    foreign: Signal  # team B's, routed


def two_teams() -> Teams:
    a = team_with_coverage("Buurtteam Noord", postcode="3511AB")
    b = team_with_coverage("Buurtteam Zuid", postcode="3521CD")
    member = member_of(a, full_name="Mila Lid")
    coordinator = member_of(a, TeamRole.COORDINATOR, full_name="Cor Coördinator")
    other = member_of(b, full_name="Olga Ander")
    signal = make_signal(state=Status.ROUTED)
    foreign = make_signal(state=Status.ROUTED, address={"postcode": "3521CD", "house_number": 3})
    TeamFactory(name="Centraal team", is_central=True)
    return Teams(a, b, member, coordinator, other, signal, foreign)
