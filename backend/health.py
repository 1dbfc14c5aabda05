"""Liveness and readiness probes, outside the API's authentication (docs/adr/0019).

`/readyz` says whether this web process can do its work: the database answers. It answers
within READINESS_TIMEOUT_SECONDS whatever hangs, because every check runs in a worker thread
with a deadline, and a check still stuck from an earlier call is reported as failing instead
of being started again (so a hung database costs one thread, not one per probe).

The broker and the workers' heartbeats are reported under `monitoring` and never make the
probe fail: intake keeps working without them (the outbox absorbs a broker outage), and taking
the web process out of service for them would stop intake during exactly that outage.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import redis
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from kombu import Connection

from backend.worker_health import heartbeats

logger = logging.getLogger(__name__)

Check = Callable[[], dict[str, Any]]

_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")
_in_flight: dict[str, Future] = {}
_in_flight_lock = threading.Lock()


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _fail(error: str) -> dict[str, Any]:
    return {"status": "fail", "error": error}


def _database() -> dict[str, Any]:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # this thread's connection; a fresh one next time
    return {"status": "ok"}


def _broker() -> dict[str, Any]:
    url = settings.CELERY_BROKER_URL
    timeout = settings.BROKER_SOCKET_TIMEOUT
    if url.startswith(("redis://", "rediss://")):
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            memory = client.info("memory")
        finally:
            client.close()
        result: dict[str, Any] = {"status": "ok"}
        limit = int(memory.get("maxmemory") or 0)
        if limit:
            used = round(100 * int(memory["used_memory"]) / limit, 1)
            result["memory_used_percent"] = used
            # At the limit with noeviction, Redis refuses every write: no task gets queued.
            if used >= 95 and memory.get("maxmemory_policy") == "noeviction":
                result["status"] = "full"
        return result
    with Connection(url, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    return {"status": "ok"}


def _workers() -> dict[str, Any]:
    now = time.time()
    stale_after = settings.WORKER_HEARTBEAT_STALE_SECONDS
    report: dict[str, Any] = {}
    for queue, beat in heartbeats(settings.WORKER_QUEUES).items():
        if beat is None:
            report[queue] = {"status": "missing"}
            continue
        age = round(now - float(beat["at"]), 1)
        report[queue] = {
            "status": "ok" if age <= stale_after else "stale",
            "age_seconds": age,
            "worker": beat.get("worker", ""),
        }
    healthy = all(queue["status"] == "ok" for queue in report.values())
    return {"status": "ok" if healthy else "fail", "queues": report}


def _guarded(check: Check) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        try:
            return check()
        except Exception as exc:  # any failure is the answer, never a 500
            return _fail(type(exc).__name__)

    return run


def _run_bounded(checks: dict[str, Check], timeout: float) -> dict[str, dict[str, Any]]:
    futures: dict[str, Future | None] = {}
    with _in_flight_lock:
        for name, check in checks.items():
            previous = _in_flight.get(name)
            if previous is not None and not previous.done():
                futures[name] = None  # still stuck from an earlier probe
            else:
                futures[name] = _in_flight[name] = _executor.submit(_guarded(check))
    deadline = time.monotonic() + timeout
    results = {}
    for name, future in futures.items():
        if future is None:
            results[name] = _fail("timeout")
            continue
        try:
            results[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            results[name] = _fail("timeout")
    return results


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers in time, else 503 naming it; broker and worker
    heartbeats are reported under `monitoring` without changing the status."""
    results = _run_bounded(
        {"database": _database, "broker": _broker, "workers": _workers},
        settings.READINESS_TIMEOUT_SECONDS,
    )
    checks = {"database": results["database"]}
    failed = sorted(name for name, result in checks.items() if result["status"] != "ok")
    body = {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": checks,
        "monitoring": {"broker": results["broker"], "workers": results["workers"]},
    }
    if failed:
        logger.warning("readiness check failed", extra={"failed": failed})
    return JsonResponse(body, status=503 if failed else 200)
