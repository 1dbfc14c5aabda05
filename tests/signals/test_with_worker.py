"""Behaviour that depends on a real Celery worker process and the real Redis broker."""

import pytest
from django.test import override_settings

from accounts.models import TeamRole
from notifications.models import Notification
from signals.models import Signal, SignalEvent, Status
from signals.tasks import sweep_unrouted_signals
from tests.factories import TeamFactory, UserFactory, member_of
from tests.signals.factories import intake_payload, team_with_coverage
from tests.worker import broker_unreachable, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
]


def event_types(signal_id) -> list[str]:
    return list(
        SignalEvent.objects.filter(signal_id=signal_id)
        .order_by("id")
        .values_list("type", flat=True)
    )


def status_of(signal_id) -> str:
    return Signal.objects.values_list("status", flat=True).get(pk=signal_id)


def test_end_to_end_from_intake_to_closure(celery_worker_process, client_for):
    team = team_with_coverage()
    TeamFactory(name="Centraal", is_central=True)
    member = member_of(team)
    member_of(team, TeamRole.COORDINATOR)
    signaller = UserFactory(field_worker=True)
    for user, token in ((member, "member-phone-token"), (signaller, "signaller-phone-token")):
        registered = client_for(user).post(
            "/api/v1/devices",
            {"registration_token": token, "platform": "android", "language": "nl"},
            format="json",
        )
        assert registered.status_code == 201, registered.json()

    # Urgent, so the pushes go out at once whatever the hour (quiet hours hold the others).
    created = client_for(signaller).post(
        "/api/v1/signals", intake_payload(urgency="urgent"), format="json"
    )
    assert created.status_code == 201
    signal_id = created.json()["id"]

    wait_for(
        lambda: status_of(signal_id) == Status.ROUTED,
        timeout=30,
        message=lambda: celery_worker_process.read_text()[-3000:],
    )
    signal = Signal.objects.get(pk=signal_id)
    assert signal.team == team
    # The request id of the POST followed the request into the routing task's log lines.
    # The worker writes the task's closing line after the routing committed: wait for it too
    # (read at once, a loaded machine saw the status before the line).
    request_id = created["X-Request-ID"]

    def routed_lines() -> list[str]:
        lines = celery_worker_process.read_text().splitlines()
        return [line for line in lines if request_id in line and "signals.route_signal" in line]

    wait_for(routed_lines, timeout=30, message=lambda: celery_worker_process.read_text()[-3000:])

    client = client_for(member)
    for step in ("acknowledged", "contacted"):
        version = client.get(f"/api/v1/signals/{signal_id}").json()["version"]
        response = client.post(
            f"/api/v1/signals/{signal_id}/transitions",
            {"to": step, "version": version},
            format="json",
        )
        assert response.status_code == 200, response.json()
    version = client.get(f"/api/v1/signals/{signal_id}").json()["version"]
    closed = client.post(
        f"/api/v1/signals/{signal_id}/transitions",
        {"to": "closed", "version": version, "outcome": "connected_to_informal_network"},
        format="json",
    )
    assert closed.status_code == 200
    assert closed.json()["outcome"] == "connected_to_informal_network"

    assert event_types(signal_id) == [
        "created",
        "routed",
        "transitioned",
        "transitioned",
        "transitioned",
    ]
    steps = list(
        SignalEvent.objects.filter(signal_id=signal_id, type="transitioned")
        .order_by("id")
        .values_list("to_status", flat=True)
    )
    assert steps == ["acknowledged", "contacted", "closed"]

    # Routing pushed to the team member's device; acknowledging told the signaller. Both went
    # out through the console gateway, sent by the worker.
    def sent_kinds() -> list[tuple[str, str]]:
        return sorted(
            Notification.objects.filter(object_id=signal_id, status="sent").values_list(
                "kind", "user__email"
            )
        )

    wait_for(
        lambda: len(sent_kinds()) == 2,
        timeout=30,
        message=lambda: f"{sent_kinds()}\n{celery_worker_process.read_text()[-3000:]}",
    )
    assert sent_kinds() == sorted(
        [("signal_routed", member.email), ("signal_acknowledged", signaller.email)]
    )


@override_settings(ROUTING_GRACE_SECONDS=0)
def test_accepted_while_redis_is_down_and_routed_exactly_once_when_it_is_back(
    celery_worker_process, client_for
):
    team_with_coverage()
    signaller = UserFactory(field_worker=True)
    with broker_unreachable():
        response = client_for(signaller).post("/api/v1/signals", intake_payload(), format="json")
    assert response.status_code == 201
    signal_id = response.json()["id"]
    assert status_of(signal_id) == Status.RECEIVED  # nothing reached the worker

    # Broker back: the beat sweeper re-enqueues. Run it twice, as overlapping beats might.
    assert sweep_unrouted_signals() == 1
    sweep_unrouted_signals()
    wait_for(
        lambda: status_of(signal_id) == Status.ROUTED,
        timeout=30,
        message=lambda: celery_worker_process.read_text()[-3000:],
    )
    wait_for(lambda: "signals.route_signal" in celery_worker_process.read_text(), timeout=5)
    # Let the second enqueued task run too, then check it changed nothing.
    wait_for(lambda: celery_worker_process.read_text().count("succeeded") >= 2, timeout=15)
    assert event_types(signal_id).count("routed") == 1
