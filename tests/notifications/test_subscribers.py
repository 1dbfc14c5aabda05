"""Notifications hears about signal events and ended login sessions through start-up
subscribers (docs/adr/0020) that run in the publisher's transaction: when notifications cannot
record its part, the change that caused it is not committed either (docs/adr/0005).

The failure is a real one: a CHECK constraint added for the test (and rolled back with it)
makes PostgreSQL refuse the notifications app's write."""

import pytest
from django.db import IntegrityError, connection

from accounts.actors import SYSTEM
from accounts.models import LoginSession
from accounts.services import logout, user_deactivate
from audit.context import AccessContext
from notifications.models import Device, Notification
from signals.models import Signal, SignalEvent, Status
from signals.services import signal_transition
from tests.factories import TeamFactory, member_of
from tests.notifications.factories import DeviceFactory, SignalFactory

pytestmark = pytest.mark.django_db


def refuse_writes(table: str, condition: str) -> None:
    """From now on (until the test's transaction rolls back) rows of `table` must satisfy
    `condition`; existing rows are not checked (NOT VALID)."""
    with connection.cursor() as cursor:
        # Run the deferred foreign-key checks of the rows made so far: ALTER TABLE refuses a
        # table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT test_refuse CHECK ({condition}) NOT VALID"
        )


@pytest.fixture
def routed():
    team = TeamFactory()
    member = member_of(team)
    signal = SignalFactory(team=team, status=Status.ROUTED)
    DeviceFactory(user=signal.created_by)  # acknowledgement tells the signaller
    return signal, member


def test_an_acknowledgement_records_the_signaller_s_push_in_its_transaction(routed):
    signal, member = routed

    signal_transition(
        signal_id=signal.pk, actor=member, to_status=Status.ACKNOWLEDGED, expected_version=None
    )

    event = SignalEvent.objects.get(signal=signal, type=SignalEvent.Type.TRANSITIONED)
    assert Notification.objects.get(event=event).user_id == signal.created_by_id


def test_when_the_push_cannot_be_recorded_the_transition_is_not_committed(routed):
    signal, member = routed
    version = Signal.objects.get(pk=signal.pk).version
    refuse_writes("notifications_notification", "false")

    with pytest.raises(IntegrityError):
        signal_transition(
            signal_id=signal.pk, actor=member, to_status=Status.ACKNOWLEDGED, expected_version=None
        )

    after = Signal.objects.get(pk=signal.pk)
    assert (after.status, after.version) == (Status.ROUTED, version)
    assert not SignalEvent.objects.filter(signal=signal).exists()


def test_when_the_devices_cannot_be_stopped_the_logout_is_not_committed(session):
    user, login_session = session
    device = DeviceFactory(user=user, login_session=login_session)
    refuse_writes("notifications_device", "is_active")

    with pytest.raises(IntegrityError):
        logout(user=user, session_id=str(login_session.pk))

    assert LoginSession.objects.get(pk=login_session.pk).revoked_at is None
    assert Device.objects.get(pk=device.pk).is_active


def test_a_logout_stops_the_devices_of_its_session_only(session):
    user, login_session = session
    phone = DeviceFactory(user=user, login_session=login_session)
    tablet = DeviceFactory(user=user, login_session=LoginSession.objects.create(user=user))

    logout(user=user, session_id=str(login_session.pk))

    phone.refresh_from_db()
    tablet.refresh_from_db()
    assert (phone.is_active, phone.deactivation_reason) == (False, "logout")
    assert tablet.is_active


def test_a_deactivation_stops_every_device_and_says_why(session):
    user, login_session = session
    device = DeviceFactory(user=user, login_session=login_session)

    user_deactivate(user=user, actor=SYSTEM, context=AccessContext.system())

    device.refresh_from_db()
    assert (device.is_active, device.deactivation_reason) == (False, "user_deactivated")


@pytest.fixture
def session():
    user = member_of(TeamFactory())
    return user, LoginSession.objects.create(user=user)
