"""Workers killed mid-routing and mid-push: one pool child (billiard replaces it, the task goes
back to the queue at once: acks late, reject on worker lost), or the whole worker with its
children, as when its container dies (a supervisor restarts it; its unacknowledged tasks come
back after the visibility timeout). Production sweeper settings: the recovery measured is the
broker's redelivery, not a shortened sweeper.

Mid-routing: the default worker is frozen while a batch is submitted, the events table is
locked, and on thawing its pool children block inside route_signal after updating the signal
and before the `routed` event is written. Mid-push: the fake FCM holds its answers, so the
notifications worker's children are waiting on the provider.

Push duplicates (docs/reliability.md): a push is delivered again only if the provider accepted
it while its row was not yet committed as sent, so duplicates are at most the pushes in flight
at the provider when the fault struck.
"""

import os
import signal
import time

import pytest
import requests

from testbed.processes import wait_until
from tests.faults.population import MEMBERS
from tests.faults.scenario import Scenario

pytestmark = pytest.mark.faults

LOCK_EVENTS = "LOCK TABLE signals_signalevent IN EXCLUSIVE MODE"
# Visibility timeout 45 s, looked for every 10 s, then the task runs: about a minute.
WHOLE_WORKER_RECOVERY_WITHIN = 45 + 10 + 15


def _pushes_in_flight(scenario: Scenario, batch: int, load, *, hold: float) -> int:
    """Submits `batch` signals while the provider holds every answer for `hold` s; returns how
    many pushes are held at the provider once the notification children are waiting."""
    scenario.google.hold_for(hold + 2, hold=hold)
    load.submit_batch(batch)
    # Every signal's pushes (one per team member's phone) held: each pool child is mid-push.
    expected = batch * MEMBERS
    return wait_until(
        lambda: scenario.google.in_flight >= expected and scenario.google.in_flight,
        timeout=10,
        what=f"{expected} pushes in flight",
    )


def test_pool_children_killed_mid_routing_and_mid_push_are_replaced_and_nothing_is_lost(
    scenario,
):
    scenario.start()
    stack = scenario.stack
    load = scenario.load()
    stack.worker("default").freeze()
    load.submit_batch(4)
    with scenario.observer.lock(LOCK_EVENTS):
        stack.worker("default").thaw()
        wait_until(lambda: scenario.observer.waiting_on_locks() >= 2, timeout=15,
                   what="both routing children to wait on the events lock")  # fmt: skip
        os.kill(stack.pool_children("default")[0], signal.SIGKILL)
        scenario.fault()
    killed_at = time.monotonic()

    in_flight = _pushes_in_flight(scenario, 2, load, hold=4)
    os.kill(stack.pool_children("notifications")[0], signal.SIGKILL)
    scenario.fault()
    recovery = scenario.settle(load, timeout=60)
    scenario.finish(
        load,
        recovery=recovery,
        duplicate_bound=in_flight,
        recovery_from="routing child kill",
        since_kill=round(time.monotonic() - killed_at, 1),
    )
    assert {a.label for a in load.answers} == {"201"}, scenario.report()
    scenario.assert_nothing_lost_doubled_or_stuck([])
    scenario.assert_push_duplicates_within(in_flight)
    assert len(stack.pool_children("default")) == stack.spec("default").concurrency
    assert len(stack.pool_children("notifications")) == stack.spec("notifications").concurrency
    # The child's task was rejected back to the queue at once, not after a timeout.
    assert recovery is not None and recovery <= 20, scenario.report()


def test_whole_workers_killed_mid_routing_and_mid_push_recover_within_about_a_minute(scenario):
    # Heartbeats go stale after 4 s here (production 60 s), to see /readyz report them.
    scenario.start(settings={"WORKER_HEARTBEAT_STALE_SECONDS": "4"})
    stack = scenario.stack
    load = scenario.load()
    in_flight = _pushes_in_flight(scenario, 2, load, hold=9)
    stack.worker("default").freeze()
    load.submit_batch(4)
    with scenario.observer.lock(LOCK_EVENTS):
        stack.worker("default").thaw()
        wait_until(lambda: scenario.observer.waiting_on_locks() >= 2, timeout=15,
                   what="both routing children to wait on the events lock")  # fmt: skip
        in_flight = max(in_flight, scenario.google.in_flight)
        stack.kill_worker("default")
        stack.kill_worker("notifications")
        killed_at = time.monotonic()
        scenario.fault(2)
    scenario.google.heal()

    time.sleep(5)
    ready = requests.get(f"{stack.base_url}/readyz", timeout=5)
    stack.restart_worker("default")
    stack.restart_worker("notifications")
    recovery = scenario.settle(load, timeout=120)
    recovered_after = None if recovery is None else time.monotonic() - killed_at
    scenario.finish(
        load,
        recovery=recovered_after,
        duplicate_bound=in_flight,
        readyz_with_workers_dead=ready.status_code,
    )
    assert ready.status_code == 200, ready.text
    workers = ready.json()["monitoring"]["workers"]
    assert {q["status"] for q in workers["queues"].values()} == {"stale"}, workers
    assert {a.label for a in load.answers} == {"201"}, scenario.report()
    scenario.assert_nothing_lost_doubled_or_stuck([])
    scenario.assert_push_duplicates_within(in_flight)
    assert recovered_after is not None, scenario.report()
    assert recovered_after <= WHOLE_WORKER_RECOVERY_WITHIN, scenario.report()
