"""The metrics: requests per route, counted where they happen, and backlogs read when scraped
(docs/adr/0045).

Request counters and latencies live in each web process. Gunicorn runs several worker
processes, and a scrape reaches one of them, so with PROMETHEUS_MULTIPROC_DIR set (production,
compose, the image) prometheus-client keeps every process's values in memory-mapped files in
that directory and a scrape adds them up (gunicorn.conf.py empties the directory when the
master starts and marks a worker's files dead when it exits). Without it (tests, runserver)
they stay in this process.

Everything else is read at scrape time from PostgreSQL and Redis, where the truth is: the
Celery queues' lengths, the outbox (unrouted signals, pushes and e-mails waiting or failed)
and the access log's unsealed rows. No process has to have seen the work to report it, and a
Celery worker in another container needs no endpoint of its own.
"""

import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from audit.selectors import unsealed_backlog
from backend.backlog import Backlog
from notifications.selectors import outbox_backlog, outbox_failures
from signals.selectors import routing_backlog

CONTENT_TYPE = CONTENT_TYPE_LATEST
PREFIX = "buurtsignaal"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# A request the URL configuration did not match: one label value, never the raw path.
UNMATCHED = "unmatched"
# kombu's Redis transport keeps a queue's priorities 3, 6 and 9 in lists of their own.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)

REQUESTS = Counter(
    f"{PREFIX}_http_requests",
    "HTTP requests answered, per route (URL pattern name), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    f"{PREFIX}_http_request_duration_seconds",
    "Time from the first middleware to the answer, per route (URL pattern name) and method.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def route_of(request: HttpRequest) -> str:
    """The URL pattern's name with its namespace (`signal-detail`, `admin:index`); the
    pattern itself (`api/v1/x/<uuid:pk>`) for one without a name; UNMATCHED when nothing
    matched. Never the path: ids would make a series per object."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    if match.url_name:
        return match.view_name
    return match.route or UNMATCHED


class RequestMetricsMiddleware:
    """First in MIDDLEWARE, so the latency is the whole stack's and every answer is counted,
    the error answers of the middlewares below included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
        LATENCY.labels(route=route, method=method).observe(elapsed)
        return response


def _age(oldest: datetime | None, now: datetime) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def _backlog_families(name: str, help_text: str, backlog: Backlog, now: datetime) -> list[Metric]:
    count = GaugeMetricFamily(f"{PREFIX}_{name}", help_text)
    count.add_metric([], backlog.count)
    age = GaugeMetricFamily(
        f"{PREFIX}_{name}_oldest_age_seconds",
        f"Age of the oldest of: {help_text[0].lower()}{help_text[1:]} 0 when there is none.",
    )
    age.add_metric([], _age(backlog.oldest, now))
    return [count, age]


def _queue_lengths() -> dict[str, int] | None:
    """LLEN of each consumed queue (all priorities) and the unacknowledged tasks; None when the
    broker is not Redis (the demo's filesystem) or does not answer within its timeout."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    timeout = settings.BROKER_SOCKET_TIMEOUT
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        pipe = client.pipeline(transaction=False)
        for queue in settings.WORKER_QUEUES:
            pipe.llen(queue)
            for step in PRIORITY_STEPS:
                pipe.llen(f"{queue}{PRIORITY_SEPARATOR}{step}")
        pipe.hlen("unacked")
        answers = pipe.execute()
    except redis.RedisError:
        return None
    finally:
        client.close()
    lengths = {}
    per_queue = 1 + len(PRIORITY_STEPS)
    for index, queue in enumerate(settings.WORKER_QUEUES):
        lengths[queue] = sum(answers[index * per_queue : (index + 1) * per_queue])
    lengths["__unacked__"] = answers[-1]
    return lengths


class BacklogCollector(Collector):
    """Gauges read when scraped: a few indexed aggregate queries and one Redis pipeline."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        lengths = _queue_lengths()
        up = GaugeMetricFamily(
            f"{PREFIX}_celery_broker_up", "1 when the broker answered this scrape, else 0."
        )
        up.add_metric([], 0 if lengths is None else 1)
        yield up
        if lengths is not None:
            unacked = lengths.pop("__unacked__")
            queued = GaugeMetricFamily(
                f"{PREFIX}_celery_queue_length",
                "Tasks waiting in a Celery queue (Redis list lengths, all priorities).",
                labels=["queue"],
            )
            for queue, length in lengths.items():
                queued.add_metric([queue], length)
            yield queued
            taken = GaugeMetricFamily(
                f"{PREFIX}_celery_unacked",
                "Tasks taken by a worker (or waiting for a retry countdown), not yet done.",
            )
            taken.add_metric([], unacked)
            yield taken

        yield from _backlog_families(
            "signals_unrouted",
            "Signals accepted and waiting for routing.",
            routing_backlog(),
            now,
        )

        waiting = GaugeMetricFamily(
            f"{PREFIX}_outbox_waiting",
            "Pushes and e-mails waiting to go out (pending) or claimed and unanswered (sending).",
            labels=["channel", "status"],
        )
        waiting_age = GaugeMetricFamily(
            f"{PREFIX}_outbox_waiting_oldest_age_seconds",
            "Age of the oldest push or e-mail waiting, per channel and status; 0 when none.",
            labels=["channel", "status"],
        )
        for (channel, status), backlog in outbox_backlog().items():
            waiting.add_metric([channel, status], backlog.count)
            waiting_age.add_metric([channel, status], _age(backlog.oldest, now))
        yield waiting
        yield waiting_age

        failed = GaugeMetricFamily(
            f"{PREFIX}_outbox_failed",
            "Pushes and e-mails that failed: for good (failed; dead: the device is gone) or "
            "the last attempt, with a retry to come (retrying).",
            labels=["channel", "status"],
        )
        for (channel, status), count in outbox_failures().items():
            failed.add_metric([channel, status], count)
        yield failed

        yield from _backlog_families(
            "access_log_unsealed",
            "Access-log rows written and not yet sealed into the hash chain.",
            unsealed_backlog(),
            now,
        )


class _ThisProcess(Collector):
    """The request metrics of this process alone (no multiprocess directory)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def render() -> bytes:
    """One scrape in the text format: the request metrics of every web process (or this
    one) and the backlogs read now."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(BacklogCollector())
    return generate_latest(registry)
