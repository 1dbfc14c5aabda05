"""Quiet hours: the pure rule, then the whole path with a frozen clock."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications.models import Notification
from notifications.quiet_hours import quiet_hours_end
from notifications.services import signal_event_notify
from notifications.tasks import notifications_requeue, notifications_send
from tests.factories import TeamFactory, member_of
from tests.notifications.factories import (
    DeviceFactory,
    NotificationPreferenceFactory,
    SignalFactory,
    routed_event,
)
from tests.notifications.helpers import queued_sends

AMS = ZoneInfo("Europe/Amsterdam")
NIGHT = (time(22, 0), time(7, 0))


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (ams(2026, 3, 10, 21, 59), None),
        (ams(2026, 3, 10, 22, 0), ams(2026, 3, 11, 7, 0)),
        (ams(2026, 3, 10, 23, 30), ams(2026, 3, 11, 7, 0)),
        (ams(2026, 3, 11, 3, 0), ams(2026, 3, 11, 7, 0)),
        (ams(2026, 3, 11, 6, 59), ams(2026, 3, 11, 7, 0)),
        (ams(2026, 3, 11, 7, 0), None),
        (ams(2026, 3, 11, 12, 0), None),
        # The night the clocks go forward: 07:00 CEST is 05:00 UTC.
        (ams(2026, 3, 28, 23, 0), datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),
        # A UTC clock reading is compared in the user's zone (22:30 UTC is 23:30 in winter).
        (datetime(2026, 1, 5, 22, 30, tzinfo=UTC), ams(2026, 1, 6, 7, 0)),
    ],
)
def test_default_night(now, expected):
    assert quiet_hours_end(now=now, start=NIGHT[0], end=NIGHT[1], tz="Europe/Amsterdam") == (
        expected
    )


def test_a_daytime_period_and_no_period():
    lunch = {"start": time(12, 0), "end": time(13, 30), "tz": "Europe/Amsterdam"}
    assert quiet_hours_end(now=ams(2026, 5, 4, 12, 45), **lunch) == ams(2026, 5, 4, 13, 30)
    assert quiet_hours_end(now=ams(2026, 5, 4, 13, 30), **lunch) is None
    assert quiet_hours_end(now=ams(2026, 5, 4, 11, 0), **lunch) is None
    same = {"start": time(22, 0), "end": time(22, 0), "tz": "Europe/Amsterdam"}
    assert quiet_hours_end(now=ams(2026, 5, 4, 23, 0), **same) is None


def test_another_time_zone():
    london = {"start": time(22, 0), "end": time(7, 0), "tz": "Europe/London"}
    # 22:30 in Amsterdam is 21:30 in London: not quiet there yet.
    assert quiet_hours_end(now=ams(2026, 5, 4, 22, 30), **london) is None
    assert quiet_hours_end(now=ams(2026, 5, 4, 23, 30), **london) == datetime(
        2026, 5, 5, 7, 0, tzinfo=ZoneInfo("Europe/London")
    )


@pytest.mark.django_db
def test_a_night_push_waits_for_the_morning_and_then_goes_out(
    broker, django_capture_on_commit_callbacks
):
    team = TeamFactory()
    member = member_of(team)
    DeviceFactory(user=member)
    night_owl = member_of(team)
    DeviceFactory(user=night_owl)
    NotificationPreferenceFactory(user=night_owl, quiet_hours_start=time(1, 0))

    with (
        time_machine.travel(ams(2026, 3, 10, 23, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        signal_event_notify(event=routed_event(SignalFactory(), team))

    waiting = Notification.objects.get(user=member)
    assert waiting.not_before == ams(2026, 3, 11, 7, 0)
    # The night owl's quiet hours start at 01:00: theirs goes out now.
    owl = Notification.objects.get(user=night_owl)
    assert queued_sends(broker) == [[owl.pk]]
    with time_machine.travel(ams(2026, 3, 10, 23, 30, 1), tick=False):
        notifications_send(notification_ids=[owl.pk])  # what the worker does with it
    owl.refresh_from_db()
    assert owl.status == Notification.Status.SENT

    with time_machine.travel(ams(2026, 3, 11, 6, 59), tick=False):
        assert notifications_requeue() == 0
        notifications_send(notification_ids=[waiting.pk])  # a stray task does not push early
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.PENDING

    broker.flushdb()
    with (
        time_machine.travel(ams(2026, 3, 11, 7, 0, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notifications_requeue() == 1
    assert queued_sends(broker) == [[waiting.pk]]
    with time_machine.travel(ams(2026, 3, 11, 7, 0, 31), tick=False):
        notifications_send(notification_ids=[waiting.pk])
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.SENT
    assert waiting.sent_at == ams(2026, 3, 11, 7, 0, 31)


@pytest.mark.django_db
def test_an_urgent_push_goes_through_quiet_hours(broker, django_capture_on_commit_callbacks):
    team = TeamFactory()
    DeviceFactory(user=member_of(team))
    with (
        time_machine.travel(ams(2026, 3, 10, 23, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        signal_event_notify(event=routed_event(SignalFactory(urgent=True), team))
    notification = Notification.objects.get()
    assert notification.not_before == ams(2026, 3, 10, 23, 30)
    assert queued_sends(broker) == [[notification.pk]]
