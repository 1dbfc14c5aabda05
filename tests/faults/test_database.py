"""Database faults: PostgreSQL restarted under steady intake (fast: clients disconnected and a
checkpoint; immediate: as a crash, recovery from WAL), frozen (SIGSTOP: connections open,
nothing answers) with and without traffic, and a lock held by a slow transaction."""

import threading
import time

import pytest
import requests

from tests.faults.scenario import SWEEPS, SWEPT_WITHIN, scaled

pytestmark = pytest.mark.faults

RESTART_DOWN_SECONDS = 2.0
# A push's answer is recorded within this long of the push reaching the provider.
ANSWER_RECORDED_WITHIN = 2.0


def _restart_under_traffic(scenario, modes: tuple[str, ...]) -> tuple:
    """Restarts the database once per mode under steady intake; returns the load, the answers
    to requests sent while it was down, the client_uuids never accepted after retries, when it
    came back, and the outages (start, end)."""
    scenario.start(settings=SWEEPS)
    load = scenario.load().start()
    outages = []
    for mode in modes:
        time.sleep(scaled(3))
        began = time.monotonic()
        scenario.cluster.restart(mode, down_seconds=RESTART_DOWN_SECONDS)
        scenario.fault()
        outages.append((began, time.monotonic()))
    back = time.monotonic()
    time.sleep(scaled(3))
    load.stop()
    never = load.retry_unaccepted(attempts=10, pause=1.0)
    during = [a for a in load.answers if any(b <= a.at <= e for b, e in outages)]
    return load, during, never, back, outages


def test_database_restarts_fast_and_immediate_under_traffic_lose_and_double_nothing(scenario):
    load, during, never, back, outages = _restart_under_traffic(scenario, ("fast", "immediate"))
    recovery = scenario.settle(load, timeout=SWEPT_WITHIN + 60)
    settled_after = None if recovery is None else time.monotonic() - back
    from notifications.services.recording import RECORD_PAUSES_SECONDS

    # A push goes out again only if its answer could not be recorded for as long as the
    # delivery task keeps trying: delivered from just before an outage until the record
    # retries' length before its end. An outage shorter than that repeats nothing.
    retried_for = sum(RECORD_PAUSES_SECONDS)
    exposed = sum(
        p.delivered
        for began, ended in outages
        for p in scenario.google.arrived_between(
            began - ANSWER_RECORDED_WITHIN, ended - retried_for
        )
    )
    scenario.finish(
        load,
        recovery=settled_after,
        duplicate_bound=exposed,
        answers_while_down=sorted({a.label for a in during}),
    )
    assert during, scenario.report()
    scenario.assert_nothing_lost_doubled_or_stuck(never)
    # gunicorn stayed up: every request got an HTTP answer.
    assert not [a for a in load.answers if a.status is None], scenario.report()
    scenario.assert_push_duplicates_within(exposed)
    # Failed routing and pushes retry (back-off capped at 30 s) or are swept.
    assert settled_after is not None and settled_after <= max(45, SWEPT_WITHIN), scenario.report()


def test_database_frozen_readyz_answers_503_within_its_deadline(scenario):
    scenario.start(settings=SWEEPS)
    assert scenario.get("/readyz").status_code == 200
    scenario.cluster.freeze()
    scenario.fault()
    probes = []
    try:
        for _ in range(3):
            began = time.monotonic()
            response = scenario.get("/readyz", timeout=15)
            probes.append((time.monotonic() - began, response.status_code, response.json()))
        healthz = scenario.get("/healthz", timeout=5).status_code
    finally:
        scenario.cluster.thaw()
    ready_again = time.monotonic()
    while scenario.get("/readyz").status_code != 200:
        assert time.monotonic() - ready_again < 15, "readiness did not come back"
        time.sleep(0.2)
    load = scenario.load()
    scenario.finish(
        load,
        recovery=time.monotonic() - ready_again,
        probe_seconds=[round(p[0], 2) for p in probes],
    )
    for seconds, status, body in probes:
        assert status == 503, body
        assert body["failed"] == ["database"], body
        assert body["checks"]["database"] == {"status": "fail", "error": "timeout"}, body
        assert seconds <= 2.0 + 1.0, probes  # READINESS_TIMEOUT_SECONDS plus the round trip
    assert healthz == 200


FROZEN_SECONDS = 12.0
# A request waiting on the frozen server: stalled 1.5 s, a probe without answer for 1 s, cut;
# the health check's reconnect gives up after the 3 s connect timeout (docs/adr/0036).
ANSWERED_WITHIN = 8.0


def _probe(scenario, path: str, stop: threading.Event, probes: list) -> None:
    """Asks `path` on the health listener every half second, as an orchestrator does."""
    while not stop.is_set():
        began = time.monotonic()
        try:
            response = scenario.probe(path, timeout=15)
            answer = (response.status_code, response.json())
        except Exception as exc:  # no answer at all is what this scenario looks for
            answer = (None, type(exc).__name__)
        probes.append((path, round(time.monotonic() - began, 2), *answer))
        stop.wait(0.5)


def test_database_frozen_under_traffic_health_answers_and_requests_get_503_within_seconds(
    scenario,
):
    scenario.start(settings=SWEEPS)
    load = scenario.load().start()
    time.sleep(scaled(3))
    probes: list = []
    stop = threading.Event()
    probers = [
        threading.Thread(target=_probe, args=(scenario, path, stop, probes), daemon=True)
        for path in ("/healthz", "/readyz")
    ]
    scenario.cluster.freeze()
    scenario.fault()
    frozen_at = time.monotonic()
    for prober in probers:
        prober.start()
    try:
        time.sleep(scaled(FROZEN_SECONDS))
    finally:
        stop.set()
        for prober in probers:
            prober.join(timeout=20)
        scenario.cluster.thaw()
    thawed_at = time.monotonic()
    time.sleep(scaled(3))
    load.stop()
    never = load.retry_unaccepted(attempts=10, pause=1.0)
    recovery = scenario.settle(load, timeout=SWEPT_WITHIN + 60)
    from notifications.services.recording import RECORD_PAUSES_SECONDS

    # As for a restart: a push repeats only if its answer could not be recorded in time.
    exposed = sum(
        p.delivered
        for p in scenario.google.arrived_between(
            frozen_at - ANSWER_RECORDED_WITHIN, thawed_at - sum(RECORD_PAUSES_SECONDS)
        )
    )
    during = [a for a in load.answers if frozen_at <= a.at <= thawed_at]
    scenario.finish(
        load,
        recovery=None if recovery is None else time.monotonic() - thawed_at,
        duplicate_bound=exposed,
        answers_while_frozen=sorted({a.label for a in during}),
        slowest_answer_while_frozen=round(max((a.latency for a in during), default=0), 2),
        health_probes=len(probes),
        slowest_probe={
            path: max((p[1] for p in probes if p[0] == path), default=None)
            for path in ("/healthz", "/readyz")
        },
    )
    report = scenario.report()
    assert not any(prober.is_alive() for prober in probers), report
    healthz = [p for p in probes if p[0] == "/healthz"]
    readyz = [p for p in probes if p[0] == "/readyz"]
    assert len(healthz) >= FROZEN_SECONDS, probes  # about two a second
    assert all(status == 200 and seconds <= 1.0 for _, seconds, status, _ in healthz), probes
    assert all(status in (200, 503) and seconds <= 3.0 for _, seconds, status, _ in readyz), probes
    assert [body["failed"] for _, _, status, body in readyz if status == 503], probes
    # Every request got an HTTP answer: accepted, or the 503 in the error shape, in seconds.
    assert {a.label for a in during} <= {"201", "503 database_unavailable (json)"}, report
    assert "503 database_unavailable (json)" in {a.label for a in during}, report
    assert max(a.latency for a in during) <= ANSWERED_WITHIN, report
    assert all(a.retry_after for a in during if not a.accepted), report
    scenario.assert_nothing_lost_doubled_or_stuck(never)
    scenario.assert_push_duplicates_within(exposed)


def test_database_loss_answers_503_in_the_error_shape_with_retry_after(scenario):
    load, during, _, _, _ = _restart_under_traffic(scenario, ("fast",))
    scenario.finish(load, recovery=scenario.settle(load, timeout=60), duplicate_bound=0)
    refused = [a for a in during if not a.accepted]
    assert refused, scenario.report()
    assert {a.label for a in refused} <= {"503 database_unavailable (json)"}, scenario.report()
    assert all(a.retry_after for a in refused), scenario.report()


def test_a_held_access_log_chain_lock_stalls_neither_intake_nor_health(scenario):
    from audit.sealing import CHAIN_LOCK_KEY

    scenario.start(settings=SWEEPS)
    load = scenario.load().start()
    time.sleep(2)
    health: list[tuple[float, int | None]] = []
    with scenario.cluster.connect(scenario.dbname) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [CHAIN_LOCK_KEY])
        scenario.fault()
        held_at = time.monotonic()
        while time.monotonic() - held_at < scaled(8):
            began = time.monotonic()
            try:
                status = scenario.get("/healthz", timeout=5).status_code
            except requests.RequestException:
                status = None
            health.append((time.monotonic() - began, status))
            time.sleep(0.5)
        holder.execute("SELECT pg_advisory_unlock(%s)", [CHAIN_LOCK_KEY])
    released = time.monotonic()
    load.stop()
    never = load.retry_unaccepted()
    verdict = scenario.finish(load, recovery=scenario.settle(load, timeout=60), duplicate_bound=0)
    during = [a for a in load.answers if a.at <= released and a.at + a.latency >= held_at]
    scenario.assert_nothing_lost_doubled_or_stuck(never)
    assert {a.label for a in during} == {"201"}, scenario.report()
    assert max(a.latency for a in during) <= 2.0, scenario.report()
    assert all(status == 200 and seconds <= 1.0 for seconds, status in health), health
    assert verdict.lost == 0
