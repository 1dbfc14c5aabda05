"""Publishing after commit never fails the request and, after one failure, leaves publishing
to the sweepers for a while (the hung-broker case is tests/faults/test_broker.py)."""

import logging

import pytest

from backend.enqueue import enqueue, publishing_paused
from signals.tasks import route_signal
from tests.worker import broker_unreachable, queued_task_names


@pytest.mark.worker
def test_after_a_failed_publish_the_process_pauses_publishing(broker, settings, caplog):
    settings.BROKER_PUBLISH_PAUSE_SECONDS = 60
    caplog.set_level(logging.DEBUG, logger="backend.enqueue")
    with broker_unreachable():
        assert enqueue(route_signal, "first") is False
        assert publishing_paused()
        assert enqueue(route_signal, "second") is False
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "could not enqueue task; a sweeper will pick it up",
        "publishing paused after a broker failure",
    ]
    # Once the pause is over (the helper ends it with the broker back), it publishes again.
    assert enqueue(route_signal, "third") is True
    assert queued_task_names() == ["signals.route_signal"]
