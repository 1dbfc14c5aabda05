"""A small world for the service tests: the signal's team A, another team B, and actors around
them. Services are called directly, as the API, the admin and commands do."""

from dataclasses import dataclass

import pytest

from accounts.actors import SystemActor
from accounts.models import Team, TeamRole, User
from accounts.roles import Role
from signals.models import Signal, Status
from tests.factories import TeamFactory, UserFactory, member_of
from tests.signals.factories import make_signal, team_with_coverage


@dataclass
class World:
    team: Team
    other_team: Team
    member: User  # member of A, the signal's team
    coordinator: User  # coordinator of A
    foreign: User  # member of B only
    no_team: User  # the team-member role, no team at all
    field_worker: User  # the signaller: no team capability
    officer: User  # privacy officer
    cross_coordinator: User  # coordinator of B, plain member of A
    signal: Signal  # acknowledged, in team A

    def refresh(self) -> Signal:
        self.signal.refresh_from_db()
        return self.signal


@pytest.fixture
def world(db) -> World:
    team = team_with_coverage()
    other_team = TeamFactory(name="Buurtteam Oost")
    member = member_of(team)
    cross = member_of(other_team, TeamRole.COORDINATOR)
    from accounts.services import team_membership_set
    from audit.context import AccessContext

    team_membership_set(
        team=team,
        user=cross,
        role=TeamRole.MEMBER,
        actor=SystemActor("test"),
        context=AccessContext.system(role="test"),
    )
    field_worker = UserFactory(field_worker=True)
    signal = make_signal(signaller=field_worker, state=Status.ACKNOWLEDGED, worker=member)
    return World(
        team=team,
        other_team=other_team,
        member=member,
        coordinator=member_of(team, TeamRole.COORDINATOR),
        foreign=member_of(other_team),
        no_team=UserFactory(roles=[Role.TEAM_MEMBER]),
        field_worker=field_worker,
        officer=UserFactory(privacy_officer=True),
        cross_coordinator=cross,
        signal=signal,
    )
