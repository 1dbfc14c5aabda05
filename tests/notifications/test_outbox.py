"""signal_event_notify: who is told about which event, as pending rows in the event's
transaction, with the send task enqueued only after commit."""

import pytest
from django.db import transaction

from accounts.models import TeamRole
from notifications.models import EmailNotice, Notification
from notifications.services import signal_event_notify
from signals.models import SignalEvent, Status
from tests.factories import TeamFactory, member_of
from tests.notifications.factories import DeviceFactory, SignalFactory, event_for, routed_event
from tests.notifications.helpers import queued_sends

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
Type = SignalEvent.Type
COORDINATOR = TeamRole.COORDINATOR


@pytest.fixture
def team():
    """A team with a member, a coordinator (each with a device) and an outsider's device."""
    team = TeamFactory()
    team.member = member_of(team)
    team.coordinator = member_of(team, COORDINATOR)
    DeviceFactory(user=team.member)
    DeviceFactory(user=team.coordinator)
    DeviceFactory(user=member_of(TeamFactory()))  # another team: never told
    return team


def told(**filters) -> set:
    return set(Notification.objects.filter(**filters).values_list("user_id", flat=True))


def notify(event: SignalEvent, capture) -> list:
    with capture(execute=False) as callbacks:
        signal_event_notify(event=event)
    return callbacks


def test_a_routed_signal_tells_the_members_but_not_the_coordinators(
    team, django_capture_on_commit_callbacks
):
    second_device = DeviceFactory(user=team.member)
    signal = SignalFactory()

    callbacks = notify(routed_event(signal, team), django_capture_on_commit_callbacks)

    rows = Notification.objects.all()
    assert {row.device_id for row in rows} == {
        second_device.pk,
        team.member.devices.exclude(pk=second_device.pk).get().pk,
    }
    assert {(row.kind, row.object_id, row.user_id, row.is_urgent) for row in rows} == {
        (Kind.SIGNAL_ROUTED, signal.pk, team.member.pk, False)
    }
    assert all(row.status == Notification.Status.PENDING for row in rows)
    assert len(callbacks) == 1


def test_an_urgent_signal_tells_the_coordinators_too(team, django_capture_on_commit_callbacks):
    signal = SignalFactory(urgent=True)
    notify(routed_event(signal, team), django_capture_on_commit_callbacks)
    assert told() == {team.member.pk, team.coordinator.pk}
    assert set(Notification.objects.values_list("is_urgent", flat=True)) == {True}


def test_a_forwarded_signal_tells_the_new_team(team, django_capture_on_commit_callbacks):
    old_team = TeamFactory()
    DeviceFactory(user=member_of(old_team))
    signal = SignalFactory(team=old_team)
    notify(routed_event(signal, team, forwarded=True), django_capture_on_commit_callbacks)
    assert told(kind=Kind.SIGNAL_FORWARDED) == {team.member.pk}
    assert Notification.objects.count() == 1


def test_an_assignment_tells_the_assignee_only(team, django_capture_on_commit_callbacks):
    signal = SignalFactory(team=team)
    event = event_for(
        signal, Type.ASSIGNED, actor=team.coordinator, data={"assignee_id": str(team.member.pk)}
    )
    notify(event, django_capture_on_commit_callbacks)
    assert told(kind=Kind.SIGNAL_ASSIGNED) == {team.member.pk}
    assert Notification.objects.count() == 1


def test_claiming_a_signal_yourself_tells_nobody(team, django_capture_on_commit_callbacks):
    signal = SignalFactory(team=team)
    event = event_for(
        signal, Type.ASSIGNED, actor=team.member, data={"assignee_id": str(team.member.pk)}
    )
    assert notify(event, django_capture_on_commit_callbacks) == []
    assert not Notification.objects.exists()


def test_acknowledgement_tells_the_signaller(team, django_capture_on_commit_callbacks):
    signal = SignalFactory(team=team)
    DeviceFactory(user=signal.created_by)
    event = event_for(signal, Type.TRANSITIONED, actor=team.member, to_status=Status.ACKNOWLEDGED)
    notify(event, django_capture_on_commit_callbacks)
    assert told(kind=Kind.SIGNAL_ACKNOWLEDGED) == {signal.created_by_id}
    assert Notification.objects.count() == 1


def test_other_transitions_tell_nobody(team, django_capture_on_commit_callbacks):
    signal = SignalFactory(team=team)
    DeviceFactory(user=signal.created_by)
    for to_status in (Status.CONTACTED, Status.IN_FOLLOW_UP, Status.CLOSED, Status.DECLINED):
        event = event_for(signal, Type.TRANSITIONED, actor=team.member, to_status=to_status)
        notify(event, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()


def test_an_escalation_tells_the_coordinators(team, django_capture_on_commit_callbacks):
    signal = SignalFactory(team=team)
    notify(event_for(signal, Type.ESCALATED), django_capture_on_commit_callbacks)
    assert told(kind=Kind.SIGNAL_ESCALATED) == {team.coordinator.pk}


def test_withdrawn_consent_tells_the_whole_team(team, django_capture_on_commit_callbacks):
    signal = SignalFactory(team=team)
    event = event_for(signal, Type.CONSENT_WITHDRAWN, actor=signal.created_by)
    notify(event, django_capture_on_commit_callbacks)
    assert told(kind=Kind.CONSENT_WITHDRAWN) == {team.member.pk, team.coordinator.pk}


def test_withdrawn_consent_before_routing_tells_nobody(django_capture_on_commit_callbacks):
    signal = SignalFactory(team=None, status=Status.RECEIVED)
    DeviceFactory(user=signal.created_by)
    event = event_for(signal, Type.CONSENT_WITHDRAWN, actor=signal.created_by)
    assert notify(event, django_capture_on_commit_callbacks) == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "event_type",
    [Type.CREATED, Type.ROUTING_FAILED, Type.FORWARDED, Type.NOTE_ADDED, Type.PERSONAL_DATA_ERASED],
)
def test_other_events_are_not_pushed(team, django_capture_on_commit_callbacks, event_type):
    signal = SignalFactory(team=team, urgent=True)
    DeviceFactory(user=signal.created_by)
    assert notify(event_for(signal, event_type), django_capture_on_commit_callbacks) == []
    assert not Notification.objects.exists()


def test_inactive_devices_and_deactivated_users_get_no_push(django_capture_on_commit_callbacks):
    team = TeamFactory()
    active = member_of(team)
    DeviceFactory(user=active, inactive=True)
    DeviceFactory(user=member_of(team, is_active=False))
    notify(routed_event(SignalFactory(), team), django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    # The active member without an active device is e-mailed instead; the deactivated one not.
    assert set(EmailNotice.objects.values_list("user_id", flat=True)) == {active.pk}


def test_notifying_twice_records_once(team, django_capture_on_commit_callbacks):
    event = routed_event(SignalFactory(), team)
    notify(event, django_capture_on_commit_callbacks)
    first = list(Notification.objects.values_list("pk", "dedupe_key"))
    notify(event, django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("pk", "dedupe_key")) == first


def test_rows_roll_back_with_the_event_and_nothing_is_enqueued(
    team, django_capture_on_commit_callbacks
):
    signal = SignalFactory()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        signal_event_notify(event=routed_event(signal, team))
        raise RuntimeError("the signal write failed after the event was appended")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not SignalEvent.objects.exists()


def test_after_commit_the_send_task_is_on_the_notifications_queue(
    team, broker, django_capture_on_commit_callbacks
):
    DeviceFactory(user=team.member)
    with django_capture_on_commit_callbacks(execute=True):
        signal_event_notify(event=routed_event(SignalFactory(), team))
    ids = sorted(Notification.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert [sorted(args) for args in queued_sends(broker)] == [ids]
    assert broker.llen("default") == 0
