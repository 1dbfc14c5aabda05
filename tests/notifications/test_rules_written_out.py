"""Three rules of "nobody left out" that could each be broken without a test failing (issue 19,
item 7), each tested with its control:
- the daily digest counts no restricted signal and goes to no deactivated member;
- a failed push is not e-mailed when another of the person's devices received the same event;
- a deactivated member does not staff a team: its coordinators hear of every signal."""

import pytest
from django.utils import timezone

from accounts.models import TeamRole
from notifications.models import EmailNotice, Notification
from notifications.services import signal_event_notify, team_digests_send
from notifications.services.email import email_fallback_for_failed_pushes
from signals.models import Status
from tests.factories import TeamFactory, member_of
from tests.notifications.factories import (
    DeviceFactory,
    NotificationFactory,
    SignalFactory,
    routed_event,
)

pytestmark = pytest.mark.django_db


def test_the_digest_leaves_out_restricted_signals_and_deactivated_members():
    team = TeamFactory()
    active = member_of(team, email="actief@example.test")
    gone = member_of(team, email="weg@example.test")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    now = timezone.now()
    SignalFactory(team=team, status=Status.ROUTED, routed_at=now)
    SignalFactory(team=team, status=Status.ROUTED, routed_at=now, restricted_at=now)

    assert team_digests_send(now=now) == 1
    digest = EmailNotice.objects.get(kind="team_digest")
    assert digest.user_id == active.pk
    assert digest.data["open"] == 1 and digest.data["new"] == 1


def _ended_push(user, event_id, status):
    return NotificationFactory(
        device=DeviceFactory(user=user), user=user, event_id=event_id, status=status
    )


def test_a_failed_push_is_not_emailed_when_another_device_received_it():
    team = TeamFactory()
    member = member_of(team)
    event = routed_event(SignalFactory(), team)
    _ended_push(member, event.pk, Notification.Status.SENT)
    failed = _ended_push(member, event.pk, Notification.Status.FAILED)
    assert email_fallback_for_failed_pushes(rows=[failed]) == 0
    assert not EmailNotice.objects.exists()


def test_a_failed_push_alone_is_emailed():
    """The control: without the delivered device, the same failure becomes an e-mail."""
    team = TeamFactory()
    member = member_of(team)
    event = routed_event(SignalFactory(), team)
    failed = _ended_push(member, event.pk, Notification.Status.FAILED)
    assert email_fallback_for_failed_pushes(rows=[failed]) == 1
    assert EmailNotice.objects.get().user_id == member.pk


def test_a_team_whose_only_member_is_deactivated_tells_its_coordinators():
    team = TeamFactory()
    gone = member_of(team)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    coordinator = member_of(team, TeamRole.COORDINATOR)
    DeviceFactory(user=coordinator)
    DeviceFactory(user=gone)

    signal_event_notify(event=routed_event(SignalFactory(), team))
    assert set(Notification.objects.values_list("user_id", flat=True)) == {coordinator.pk}
