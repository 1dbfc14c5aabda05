"""Worker liveness: every worker beats from its event loop (a Celery consumer bootstep) while it
is connected and consuming.

Each beat touches WORKER_HEARTBEAT_FILE when set (the container healthcheck reads its age) and
writes one entry per consumed queue to the "health" cache, which /readyz reports for monitoring
(docs/adr/0019). A beat that cannot be written is skipped: the heartbeat never harms the worker.
"""

import logging
import os
import time
from pathlib import Path
from typing import Any

from celery import bootsteps
from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)


def heartbeat_key(queue: str) -> str:
    return f"worker-heartbeat:{queue}"


def heartbeat_write(*, hostname: str, queues: list[str], now: float | None = None) -> None:
    """Records that a worker consuming `queues` is alive now.

    Side effects: WORKER_HEARTBEAT_FILE touched; one "health" cache entry per queue (expiring
    after a day, so a queue nobody consumes any more is eventually reported missing)."""
    now = time.time() if now is None else now
    path = settings.WORKER_HEARTBEAT_FILE
    if path:
        try:
            Path(path).touch()
        except OSError as exc:
            logger.warning("heartbeat file not writable", extra={"error": type(exc).__name__})
    beat = {"worker": hostname, "pid": os.getpid(), "at": now}
    try:
        caches["health"].set_many({heartbeat_key(q): beat for q in queues}, timeout=86400)
    except Exception as exc:  # the cache is Redis: it may be down, full or hung
        logger.info("heartbeat not recorded", extra={"error": type(exc).__name__})


def heartbeats(queues: list[str]) -> dict[str, dict[str, Any] | None]:
    """The last beat per queue, None where there is none."""
    found = caches["health"].get_many([heartbeat_key(q) for q in queues])
    return {q: found.get(heartbeat_key(q)) for q in queues}


class Heartbeat(bootsteps.StartStopStep):
    """Beats every WORKER_HEARTBEAT_SECONDS on the consumer's timer, so a worker that is stuck
    (event loop blocked, broker connection lost) stops beating."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.timer_entry: Any = None

    def start(self, parent: Any) -> None:
        self.beat(parent)
        self.timer_entry = parent.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_SECONDS, self.beat, (parent,), priority=10
        )

    def stop(self, parent: Any) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    def beat(self, parent: Any) -> None:
        queues = sorted(queue.name for queue in parent.task_consumer.queues)
        heartbeat_write(hostname=parent.hostname, queues=queues)
