"""Publishing after commit never fails the request, gives up within the broker socket timeout
when the broker hangs and then leaves publishing to the sweepers for a while (the frozen-Redis
case under traffic is tests/faults/test_broker.py)."""

import logging
import threading
import time

import pytest

from backend.enqueue import enqueue, publishing_paused
from signals.tasks import route_signal
from tests.worker import broker_hung, broker_unreachable, queued_task_names

pytestmark = pytest.mark.worker

GAVE_UP = "could not enqueue task; a sweeper will pick it up"
SKIPPED = "publishing paused after a broker failure"


def test_a_hung_broker_costs_one_publish_the_socket_timeout_then_publishing_pauses(
    broker, settings, caplog
):
    settings.BROKER_PUBLISH_PAUSE_SECONDS = 60
    caplog.set_level(logging.DEBUG, logger="backend.enqueue")
    with broker_hung():
        began = time.monotonic()
        outcome: list[bool] = []
        publish = threading.Thread(target=lambda: outcome.append(enqueue(route_signal, "first")),
                                   daemon=True)  # fmt: skip
        publish.start()
        publish.join(timeout=10)
        first = time.monotonic() - began
        assert outcome == [False], f"the publish still hangs after {first:.0f} s"
        assert publishing_paused()
        began = time.monotonic()
        assert enqueue(route_signal, "second") is False
        second = time.monotonic() - began
    assert settings.BROKER_SOCKET_TIMEOUT / 2 <= first <= 2 * settings.BROKER_SOCKET_TIMEOUT + 1
    assert second < 0.1
    assert [r.getMessage() for r in caplog.records] == [GAVE_UP, SKIPPED]
    # With the broker back (the helper ends the pause), it publishes again.
    assert enqueue(route_signal, "third") is True
    assert queued_task_names() == ["signals.route_signal"]


def test_a_refused_connection_fails_at_once_and_does_not_pause_publishing(broker, caplog):
    caplog.set_level(logging.DEBUG, logger="backend.enqueue")
    with broker_unreachable():
        assert enqueue(route_signal, "first") is False
        assert not publishing_paused()
        assert enqueue(route_signal, "second") is False
    assert [r.getMessage() for r in caplog.records] == [GAVE_UP, GAVE_UP]
