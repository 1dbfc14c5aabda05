"""Assigning to someone else and forwarding need the coordinator role in the signal's own team."""

import pytest

from backend.errors import DomainError
from signals import services
from signals.access import is_coordinator
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


def share(user, signal) -> None:
    """A standing share (no expiry): the signal stays the user's team work whatever its team."""
    from django.contrib.auth.models import Permission

    from signals.models import SignalUserObjectPermission

    SignalUserObjectPermission.objects.create(
        user=user, permission=Permission.objects.get(codename="view_signal"), content_object=signal
    )


def test_a_coordinator_of_a_deactivated_team_coordinates_nothing(world):
    """Issue 19 item 2: one coordinator rule. A deactivated team grants its coordinators
    nothing, as it grants its members no visibility (ADR 39); the coordinator still reaches
    the signal through a standing share, so only the coordinator rule can refuse."""
    share(world.coordinator, world.signal)
    world.team.is_active = False
    world.team.save(update_fields=["is_active"])
    assert not is_coordinator(world.coordinator, world.refresh())
    with pytest.raises(DomainError) as forwarding:
        services.signal_forward(
            signal_id=world.signal.pk,
            actor=world.coordinator,
            team_id=world.other_team.pk,
            expected_version=world.refresh().version,
            reason="Past beter bij Oost.",
        )
    assert forwarding.value.code == "coordinator_required"
    with pytest.raises(DomainError) as assigning:
        services.signal_assign(
            signal_id=world.signal.pk,
            actor=world.coordinator,
            assignee_id=world.member.pk,
            expected_version=world.refresh().version,
        )
    assert assigning.value.code == "coordinator_required"
    signal = world.refresh()
    assert (signal.status, signal.assigned_to_id) == (Status.ACKNOWLEDGED, None)
    world.team.is_active = True
    world.team.save(update_fields=["is_active"])
    assert is_coordinator(world.coordinator, world.refresh())  # the share alone is not the cause


def test_the_coordinator_rule_needs_the_capability_and_a_person(world):
    from django.contrib.auth.models import Group

    from accounts.actors import SYSTEM

    assert is_coordinator(world.coordinator, world.signal)
    assert not is_coordinator(None, world.signal)
    assert not is_coordinator(SYSTEM, world.signal)
    assert not is_coordinator(world.member, world.signal)
    world.coordinator.groups.remove(Group.objects.get(name="team_coordinator"))
    world.coordinator = type(world.coordinator).objects.get(pk=world.coordinator.pk)
    assert not is_coordinator(world.coordinator, world.signal)
