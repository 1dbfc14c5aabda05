"""Assigning to someone else and forwarding need the coordinator role in the signal's own team."""

import pytest

from backend.errors import DomainError
from signals import services
from signals.models import Status

pytestmark = pytest.mark.django_db


def test_a_coordinator_of_another_team_who_is_a_plain_member_here_cannot_assign(world):
    with pytest.raises(DomainError) as refused:
        services.signal_assign(
            signal_id=world.signal.pk,
            actor=world.cross_coordinator,
            assignee_id=world.member.pk,
            expected_version=world.refresh().version,
        )
    assert refused.value.code == "coordinator_required"
    assert world.refresh().assigned_to_id is None


def test_a_coordinator_of_another_team_who_is_a_plain_member_here_cannot_forward(world):
    with pytest.raises(DomainError) as refused:
        services.signal_forward(
            signal_id=world.signal.pk,
            actor=world.cross_coordinator,
            team_id=world.other_team.pk,
            expected_version=world.refresh().version,
            reason="Past beter bij Oost.",
        )
    assert refused.value.code == "coordinator_required"
    assert world.refresh().status == Status.ACKNOWLEDGED


def test_the_coordinator_of_the_signals_team_assigns_and_forwards(world):
    assigned = services.signal_assign(
        signal_id=world.signal.pk,
        actor=world.coordinator,
        assignee_id=world.member.pk,
        expected_version=world.refresh().version,
    )
    assert assigned.assigned_to == world.member
    forwarded = services.signal_forward(
        signal_id=world.signal.pk,
        actor=world.coordinator,
        team_id=world.other_team.pk,
        expected_version=assigned.version,
        reason="Past beter bij Oost.",
    )
    assert (forwarded.status, forwarded.forward_to_team) == (Status.FORWARDED, world.other_team)


def test_a_plain_member_may_claim_but_not_assign_someone_else(world):
    claimed = services.signal_assign(
        signal_id=world.signal.pk,
        actor=world.cross_coordinator,
        assignee_id=None,
        expected_version=world.refresh().version,
    )
    assert claimed.assigned_to == world.cross_coordinator
