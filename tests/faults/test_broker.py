"""Broker faults under steady intake: Redis killed (queued tasks gone with it), frozen with
SIGSTOP (connections open, nothing answers), and full (maxmemory with noeviction)."""

import time

import pytest

from testbed.processes import wait_until
from tests.faults.scenario import SWEEPS, SWEPT_WITHIN, scaled
from tests.faults.servers import FILLABLE
from tests.faults.stack import WorkerSpec

pytestmark = pytest.mark.faults

# Publishing gives up after the broker socket timeout (2 s), for at most two attempts.
PUBLISH_GIVES_UP_WITHIN = 5.0


def test_broker_down_intake_answers_201_and_the_outbox_routes_everything(scenario):
    scenario.start(settings=SWEEPS)
    load = scenario.load().start()
    time.sleep(2)
    scenario.redis.kill()
    scenario.fault()
    down_at = time.monotonic()
    time.sleep(scaled(6))
    scenario.redis.restart()
    healed = time.monotonic()
    time.sleep(2)
    load.stop()
    never = load.retry_unaccepted()
    recovery = scenario.settle(load, timeout=SWEPT_WITHIN + 60)
    verdict = scenario.finish(load, recovery=recovery, duplicate_bound=0)

    during = [a for a in load.answers if down_at <= a.at <= healed]
    assert during, scenario.report()
    assert {a.label for a in during} == {"201"}, scenario.report()
    scenario.assert_nothing_lost_doubled_or_stuck(never)
    assert verdict.push_duplicates == 0, scenario.report()
    # Queued tasks died with Redis: the sweepers route what waited.
    assert recovery is not None and recovery <= SWEPT_WITHIN, scenario.report()


def test_broker_frozen_intake_still_answers_201_within_the_publish_timeout(scenario):
    scenario.start(settings=SWEEPS)
    load = scenario.load().start()
    time.sleep(2)
    scenario.redis.freeze()
    scenario.fault()
    frozen_at = time.monotonic()
    time.sleep(scaled(8))
    scenario.redis.thaw()
    healed = time.monotonic()
    time.sleep(2)
    load.stop()
    never = load.retry_unaccepted()
    recovery = scenario.settle(load, timeout=SWEPT_WITHIN + 60)
    verdict = scenario.finish(load, recovery=recovery, duplicate_bound=0)

    during = [a for a in load.answers if frozen_at <= a.at <= healed]
    assert during, scenario.report()
    assert {a.label for a in during} == {"201"}, scenario.report()
    slowest = max(a.latency for a in during)
    verdict.notes["slowest_answer_while_frozen"] = round(slowest, 2)
    assert slowest <= PUBLISH_GIVES_UP_WITHIN, scenario.report()
    scenario.assert_nothing_lost_doubled_or_stuck(never)
    assert verdict.push_duplicates == 0, scenario.report()
    assert recovery is not None and recovery <= SWEPT_WITHIN, scenario.report()


def test_broker_full_workers_survive_and_everything_routes_once_memory_is_freed(scenario):
    # One prefork and one solo worker: both pools must live through it.
    workers = (
        WorkerSpec("default", "default", "prefork", 2),
        WorkerSpec("notifications", "notifications", "solo", 1),
    )
    scenario.start(settings=SWEEPS, redis_options=FILLABLE, workers=workers)
    stack = scenario.stack
    load = scenario.load()
    # Tasks waiting in both queues when Redis fills up: a worker that takes one must record it
    # as unacknowledged, a write Redis now refuses (OutOfMemoryError).
    stack.worker("notifications").freeze()
    load.submit_batch(6)
    wait_until(lambda: scenario.observer.unrouted() == 0, timeout=30, what="routing")
    stack.worker("default").freeze()
    load.submit_batch(20)
    scenario.redis.fill()
    scenario.fault()
    full_at = time.monotonic()
    stack.worker("default").thaw()
    stack.worker("notifications").thaw()
    load.start()
    time.sleep(scaled(6))
    ready = scenario.get("/readyz")
    scenario.redis.free()
    healed = time.monotonic()
    time.sleep(2)
    load.stop()
    never = load.retry_unaccepted()
    recovery = scenario.settle(load, timeout=SWEPT_WITHIN + 60)
    verdict = scenario.finish(load, recovery=recovery, duplicate_bound=0)

    during = [a for a in load.answers if full_at <= a.at <= healed]
    assert during, scenario.report()
    assert {a.label for a in during} == {"201"}, scenario.report()
    for name in ("default", "notifications"):
        assert stack.worker(name).alive(), stack.worker(name).tail()
        assert "Unrecoverable error" not in stack.worker(name).text(), stack.worker(name).tail()
    # Readiness stays green (intake works), monitoring says the broker is full.
    assert ready.status_code == 200, ready.text
    assert ready.json()["monitoring"]["broker"]["status"] == "full", ready.text
    scenario.assert_nothing_lost_doubled_or_stuck(never)
    assert verdict.push_duplicates == 0, scenario.report()
    assert recovery is not None and recovery <= SWEPT_WITHIN, scenario.report()
