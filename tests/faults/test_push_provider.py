"""Push provider faults through the real firebase-admin client against the fake FCM: a window
of 503s, a window of 429s with Retry-After, a window of answers held past the client's 10 s
timeout (delivered all the same, as when only FCM's answer is lost), and one phone whose token
is UNREGISTERED for good."""

import contextlib
import os
import signal
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

from testbed.processes import wait_until
from tests.faults.population import MEMBERS, device_token
from tests.faults.scenario import CADENCE, SWEEPS
from tests.notifications.fcm_server import fcm_error

pytestmark = pytest.mark.faults

WINDOW = 3.0
HOLD = 11.0  # past FCM_HTTP_TIMEOUT_SECONDS (10)
# The first retry waits at least half of RETRY_BASE_SECONDS (30): no hammering of the provider.
FIRST_RETRY_NOT_BEFORE = 15.0


def test_push_provider_5xx_429_timeouts_and_unregistered_end_sent_or_dead(scenario):
    google = scenario.google
    dead_token = device_token(0)
    google.answer(dead_token, fcm_error("UNREGISTERED"))
    scenario.start(settings=SWEEPS)
    load = scenario.load()
    phases = {
        "unavailable": lambda: google.fail_for(WINDOW, fcm_error("UNAVAILABLE")),
        "quota_exceeded": lambda: google.fail_for(
            WINDOW, fcm_error("QUOTA_EXCEEDED", retry_after="1")
        ),
        "timeout": lambda: google.hold_for(WINDOW, hold=HOLD),
    }
    windows = {}
    for name, begin in phases.items():
        began = time.monotonic()
        begin()
        scenario.fault()
        load.submit_batch(2)
        time.sleep(max(0.0, WINDOW - (time.monotonic() - began)))
        windows[name] = (began, time.monotonic())
    google.heal()
    recovery = scenario.settle(load, timeout=120)
    held = [p for p in google.pushes if p.held]
    scenario.finish(
        load,
        recovery=recovery,
        duplicate_bound=len(held),
        provider_answers=dict(Counter(p.status for p in google.pushes)),
    )

    scenario.assert_nothing_lost_doubled_or_stuck([])
    rows = scenario.observer.rows(
        "SELECT n.status, n.attempts, n.last_error_code, d.registration_token "
        "FROM notifications_notification n JOIN notifications_device d ON d.id = n.device_id"
    )
    by_outcome = Counter((status, token == dead_token) for status, _, _, token in rows)
    # The unregistered phone's pushes are dead; every other push was sent in the end.
    assert set(by_outcome) <= {("sent", False), ("dead", True)}, rows
    assert by_outcome[("sent", False)] == 2 * len(phases) * 2, by_outcome
    (active,) = scenario.observer.rows(
        "SELECT is_active, deactivation_reason FROM notifications_device "
        "WHERE registration_token = %s",
        (dead_token,),
    )
    assert active == (False, "unregistered")
    # Each failed window's pushes came back, but not before the back-off floor.
    for name in ("unavailable", "quota_exceeded"):
        began, ended = windows[name]
        failed = {(p.token, p.object_id) for p in google.arrived_between(began, ended)
                  if not p.delivered}  # fmt: skip
        assert failed, name
        retries = [p for p in google.pushes if (p.token, p.object_id) in failed and p.at > ended]
        assert retries and min(p.at for p in retries) - ended >= FIRST_RETRY_NOT_BEFORE - WINDOW
    errors = {code for _, _, code, _ in rows if code}
    assert {"unregistered"} <= errors, errors
    scenario.assert_push_duplicates_within(len(held))
    # 5xx/429/timeouts: retried after 15-30 s, dispatched by the next sweep.
    assert recovery is not None and recovery <= HOLD + 30 + CADENCE + 15, scenario.report()


def test_repeated_pushes_collapse_on_the_phone(scenario):
    """A push that goes out twice (the provider took it, its answer was never recorded: here a
    pool child killed mid-push, whose task the broker hands out again at once) replaces itself
    on the phone: every copy carries its event's collapse key, notification tag and
    apns-collapse-id, and no two events share one."""
    scenario.start(settings=SWEEPS)
    load = scenario.load()
    scenario.google.hold_for(6, hold=4)
    load.submit_batch(2)
    in_flight = wait_until(
        lambda: scenario.google.in_flight >= 2 * MEMBERS and scenario.google.in_flight,
        timeout=10,
        what="pushes in flight",
    )
    children = scenario.stack.pool_children("notifications")
    port = urllib.parse.urlsplit(scenario.google.local.proxy_url).port
    # The child whose push is held: which pool child took a task is the prefork pool's choice,
    # and killing an idle one repeats nothing (the scenario's earlier flake).
    sending = _connected_to(children, port) or children
    os.kill(sending[0], signal.SIGKILL)
    scenario.fault()
    scenario.google.heal()
    recovery = scenario.settle(load, timeout=60)
    verdict = scenario.finish(load, recovery=recovery, duplicate_bound=in_flight)

    assert verdict.push_duplicates, f"the fault did not repeat a push\n{scenario.report()}"
    scenario.assert_nothing_lost_doubled_or_stuck([])
    scenario.assert_push_duplicates_within(in_flight)
    by_event: dict[tuple[str, str], set[str]] = {}
    for push in scenario.google.pushes:
        assert push.collapse.startswith("event-"), push.message
        by_event.setdefault((push.kind, push.object_id), set()).add(push.collapse)
    assert all(len(ids) == 1 for ids in by_event.values()), by_event
    assert len(set.union(*by_event.values())) == len(by_event), by_event


def _connected_to(pids: list[int], port: int | None) -> list[int]:
    """Those of `pids` with an established TCP connection to `port` on loopback (from /proc:
    the socket inodes a process holds, matched against the kernel's TCP tables)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "01" and int(fields[2].rsplit(":", 1)[1], 16) == port:
                    established.add(fields[9])
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            if {link[8:-1] for link in links if link.startswith("socket:[")} & established:
                found.append(pid)
    return found
