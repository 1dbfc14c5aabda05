"""Delivery by a real Celery worker process (console gateway) over the real Redis broker."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notifications_requeue, signal_event_notify
from tests.factories import TeamFactory, member_of
from tests.notifications.factories import DeviceFactory, SignalFactory, routed_event
from tests.worker import broker_unreachable, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
]


def statuses() -> list[str]:
    return list(Notification.objects.order_by("pk").values_list("status", flat=True))


def test_a_committed_event_ends_sent_by_the_worker(celery_worker_process):
    team = TeamFactory()
    DeviceFactory(user=member_of(team))
    DeviceFactory(user=member_of(team), english=True)
    signal = SignalFactory()

    with transaction.atomic():
        signal_event_notify(event=routed_event(signal, team))

    wait_for(
        lambda: statuses() == ["sent", "sent"],
        timeout=30,
        message=lambda: celery_worker_process.read_text()[-3000:],
    )
    assert all(n.provider_message_id.startswith("console/") for n in Notification.objects.all())
    log = celery_worker_process.read_text()
    assert log.count("push (console gateway)") == 2
    assert str(signal.pk) in log and "New signal for your team" in log
    for personal in (signal.resident_first_name, signal.contact_phone, signal.observation):
        assert personal not in log


def test_a_broker_outage_is_caught_up_by_the_sweeper(celery_worker_process):
    team = TeamFactory()
    DeviceFactory(user=member_of(team))

    with broker_unreachable(), transaction.atomic():
        signal_event_notify(event=routed_event(SignalFactory(), team))
    assert statuses() == ["pending"]  # the request did not fail; the row waits

    assert notifications_requeue() == 0  # too early: its task may still be on its way
    assert notifications_requeue(now=timezone.now() + timedelta(minutes=6)) == 1
    wait_for(
        lambda: statuses() == ["sent"],
        timeout=30,
        message=lambda: celery_worker_process.read_text()[-3000:],
    )
