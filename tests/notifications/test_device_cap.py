"""At most DEVICE_MAX_ACTIVE_PER_USER active devices per user: one more displaces the least
recently seen, so one signal never fans out to hundreds of pushes, also when the registrations
arrive at the same moment."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import Device, Notification
from notifications.services import device_register, devices, signal_event_notify
from tests.factories import TeamFactory, UserFactory, member_of
from tests.notifications.factories import SignalFactory, routed_event

DISPLACED = Device.DeactivationReason.DISPLACED


def active(user) -> set[str]:
    return set(
        Device.objects.filter(user=user, is_active=True).values_list(
            "registration_token", flat=True
        )
    )


@pytest.mark.django_db
@override_settings(DEVICE_MAX_ACTIVE_PER_USER=3)
def test_one_device_too_many_displaces_the_least_recently_seen():
    user = UserFactory()
    start = timezone.now()
    for hour, token in enumerate(["a", "b", "c"]):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            device_register(user=user, registration_token=token, platform="android")
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        device_register(user=user, registration_token="a", platform="android")  # seen again
    with time_machine.travel(start + timedelta(hours=4), tick=False):
        device_register(user=user, registration_token="d", platform="ios")

    assert active(user) == {"a", "c", "d"}
    displaced = Device.objects.get(registration_token="b")
    assert (displaced.is_active, displaced.deactivation_reason) == (False, DISPLACED)
    assert displaced.deactivated_at is not None
    # Another user's devices do not count against this one's cap.
    other = UserFactory()
    device_register(user=other, registration_token="e", platform="android")
    assert active(user) == {"a", "c", "d"} and active(other) == {"e"}


@pytest.mark.django_db
def test_a_displaced_device_registering_again_comes_back_and_displaces_another(settings):
    settings.DEVICE_MAX_ACTIVE_PER_USER = 2
    user = UserFactory()
    start = timezone.now()
    for minute, token in enumerate(["a", "b", "c", "a"]):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            device_register(user=user, registration_token=token, platform="android")
    assert active(user) == {"c", "a"}
    assert Device.objects.get(registration_token="b").deactivation_reason == DISPLACED


@pytest.mark.django_db
def test_one_signal_fans_out_to_at_most_the_cap_per_member(
    client_for, django_capture_on_commit_callbacks
):
    team = TeamFactory()
    member = member_of(team)
    client = client_for(member)
    for n in range(25):  # the report: 300 devices in 4 s, then 300 pushes for one signal
        body = {"registration_token": f"token-{n:03d}", "platform": "android"}
        assert client.post(reverse("device-list"), body, format="json").status_code == 201

    assert Device.objects.filter(user=member, is_active=True).count() == 10  # the default cap
    assert Device.objects.filter(user=member, deactivation_reason=DISPLACED).count() == 15
    assert active(member) == {f"token-{n:03d}" for n in range(15, 25)}  # the newest stay
    with django_capture_on_commit_callbacks(execute=False):
        signal_event_notify(event=routed_event(SignalFactory(), team))
    assert Notification.objects.filter(user=member).count() == 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(DEVICE_MAX_ACTIVE_PER_USER=3)
def test_the_cap_holds_when_registrations_arrive_at_the_same_moment(monkeypatch):
    user = UserFactory()
    registrations = 8
    start = threading.Barrier(registrations, timeout=10)
    upsert = devices._device_upsert

    def slow_upsert(*args, **kwargs):
        # Widen the window between the insert and the count, where concurrent registrations
        # would each see fewer active devices than there are.
        result = upsert(*args, **kwargs)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(devices, "_device_upsert", slow_upsert)
    errors: list[BaseException] = []

    def register(n: int) -> None:
        try:
            start.wait()
            device_register(user=user, registration_token=f"burst-{n}", platform="android")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(registrations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Device.objects.filter(user=user).count() == registrations
    assert len(active(user)) == 3
    assert Device.objects.filter(user=user, deactivation_reason=DISPLACED).count() == 5
