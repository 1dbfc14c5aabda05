"""signal_transition called directly: the restriction, the version check, the table."""

import pytest

from backend.errors import DomainError
from signals import services
from signals.models import SignalEvent, Status

pytestmark = pytest.mark.django_db


def _contacted(world, **kwargs):
    return services.signal_transition(
        signal_id=world.signal.pk,
        actor=world.member,
        to_status=Status.CONTACTED,
        expected_version=world.refresh().version,
        **kwargs,
    )


def test_a_transition_on_a_restricted_signal_is_refused_by_the_service(world):
    """Not only the view's re-read: the service itself refuses (423), and nothing moves."""
    services.signal_restrict(signal_id=world.signal.pk, actor=world.officer)
    events = SignalEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        _contacted(world)
    assert refused.value.code == "processing_restricted"
    assert world.refresh().status == Status.ACKNOWLEDGED
    assert SignalEvent.objects.count() == events


def test_a_stale_version_is_a_conflict_naming_the_current_one(world):
    current = world.refresh().version
    with pytest.raises(DomainError) as refused:
        services.signal_transition(
            signal_id=world.signal.pk,
            actor=world.member,
            to_status=Status.CONTACTED,
            expected_version=current - 1,
        )
    assert (refused.value.code, refused.value.details) == (
        "version_conflict",
        {"current_version": current},
    )
    assert world.refresh().status == Status.ACKNOWLEDGED


def test_a_transition_bumps_the_version_and_appends_one_event(world):
    before = world.refresh().version
    moved = _contacted(world, note="Gebeld, ze wil graag.")
    assert (moved.status, moved.version) == (Status.CONTACTED, before + 1)
    event = moved.events.order_by("-id").first()
    assert (event.type, event.actor, event.from_status, event.note.body) == (
        SignalEvent.Type.TRANSITIONED,
        world.member,
        Status.ACKNOWLEDGED,
        "Gebeld, ze wil graag.",
    )


def test_an_inactive_team_gives_its_members_no_visibility(world):
    world.team.is_active = False
    world.team.save(update_fields=["is_active"])
    with pytest.raises(type(world.signal).DoesNotExist):
        _contacted(world)
    from signals.models import Signal

    assert not Signal.objects.visible_to(world.member).exists()
