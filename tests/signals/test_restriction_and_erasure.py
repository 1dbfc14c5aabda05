"""AVG art. 18 restriction and art. 17 erasure as the signals side offers them."""

import pytest

from accounts.actors import SYSTEM
from signals import services
from signals.models import SignalEvent, Status
from tests.factories import UserFactory, member_of
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return team_with_coverage()


def test_restricted_signal_gets_423_for_every_team_operation(team, client_for):
    worker = member_of(team)
    officer = UserFactory(privacy_officer=True)
    signal = make_signal(state=Status.ACKNOWLEDGED, worker=worker)
    services.signal_restrict(signal_id=signal.pk, actor=officer)
    client = client_for(worker)
    base = f"/api/v1/signals/{signal.pk}"
    calls = [
        client.get(base),
        client.post(
            f"{base}/transitions", {"to": "contacted", "version": signal.version + 1}, format="json"
        ),
        client.post(f"{base}/assign", {"version": signal.version + 1}, format="json"),
        client.post(f"{base}/notes", {"body": "x"}, format="json"),
    ]
    assert [c.status_code for c in calls] == [423, 423, 423, 423]
    assert {c.json()["code"] for c in calls} == {"processing_restricted"}
    assert client.get("/api/v1/queue").json()["results"] == []
    signal.refresh_from_db()
    assert signal.status == Status.ACKNOWLEDGED


def test_restriction_pauses_routing_until_lifted(team):
    officer = UserFactory(privacy_officer=True)
    signal = make_signal()
    services.signal_restrict(signal_id=signal.pk, actor=officer)
    assert services.signal_route(actor=SYSTEM, signal_id=signal.pk).status == Status.RECEIVED
    services.signal_restriction_lift(signal_id=signal.pk, actor=officer)
    assert services.signal_route(actor=SYSTEM, signal_id=signal.pk).status == Status.ROUTED
    types = list(signal.events.order_by("id").values_list("type", flat=True))
    assert types == ["created", "restricted", "restriction_lifted", "routed"]


def test_erasure_keeps_non_personal_facts_and_is_idempotent(team):
    worker = member_of(team)
    signal = make_signal(state=Status.CLOSED, worker=worker)
    erased = services.signal_personal_data_erase(
        signal_id=signal.pk, actor=SYSTEM, reason="retention"
    )
    services.signal_personal_data_erase(signal_id=signal.pk, actor=SYSTEM, reason="retention")
    assert erased.resident_first_name == "" and erased.postcode == ""
    assert erased.outcome == "connected_to_informal_network" and erased.status == Status.CLOSED
    assert signal.events.filter(type=SignalEvent.Type.PERSONAL_DATA_ERASED).count() == 1


def test_no_notes_after_withdrawal_or_erasure(team, client_for):
    worker = member_of(team)
    withdrawn = make_signal(state=Status.ACKNOWLEDGED, worker=worker)
    services.consent_withdraw(signal_id=withdrawn.pk, actor=withdrawn.created_by)
    erased = make_signal(state=Status.CLOSED, worker=worker)
    services.signal_personal_data_erase(signal_id=erased.pk, actor=SYSTEM, reason="retention")
    for signal in (withdrawn, erased):
        response = client_for(worker).post(
            f"/api/v1/signals/{signal.pk}/notes", {"body": "Woont op nummer 3."}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "signal_erased"
        assert not signal.notes.exclude(body="").exists()


def test_the_sweeper_skips_restricted_signals(team, settings, broker):
    from signals.tasks import sweep_unrouted_signals

    settings.ROUTING_GRACE_SECONDS = 0
    officer = UserFactory(privacy_officer=True)
    restricted = make_signal()
    services.signal_restrict(signal_id=restricted.pk, actor=officer)
    waiting = make_signal()
    assert sweep_unrouted_signals() == 1
    import json

    from tests.worker import broker_client

    queued = [
        json.loads(raw)["headers"]["argsrepr"] for raw in broker_client().lrange("default", 0, -1)
    ]
    assert queued == [repr((str(waiting.pk),))]
