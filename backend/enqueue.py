"""Enqueue Celery tasks after the surrounding transaction commits, without ever failing the
request when the broker is down or hung: the database row is the outbox and a beat sweeper
re-enqueues whatever was left behind (docs/adr/0006-outbox-and-sweepers.md).

A publish gives up within the broker socket timeout (BROKER_SOCKET_TIMEOUT_SECONDS, connect and
send/receive alike). After one took that long to give up (a hung broker, not a refused
connection, which fails at once), this process does not try again for
BROKER_PUBLISH_PAUSE_SECONDS: each request would otherwise wait out the timeout again
(docs/adr/0019).
"""

import logging
import time
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_paused_until = 0.0  # time.monotonic() before which this process does not publish


def publishing_paused() -> bool:
    return time.monotonic() < _paused_until


def publish_pause_reset() -> None:
    """Publish again at once (tests that restore the broker)."""
    global _paused_until
    _paused_until = 0.0


def enqueue(task: Task, *args: Any, **options: Any) -> bool:
    """Publishes now; returns False (and logs) when the broker cannot be reached in time, or
    while publishing is paused after a publish that hung."""
    global _paused_until
    if publishing_paused():
        logger.debug("publishing paused after a broker failure", extra={"task": task.name})
        return False
    began = time.monotonic()
    try:
        task.apply_async(args=args, retry=False, **options)
    except Exception as exc:  # kombu/redis raise a variety of connection and timeout errors
        failed_after = time.monotonic() - began
        if failed_after >= settings.BROKER_SOCKET_TIMEOUT / 2:
            _paused_until = time.monotonic() + settings.BROKER_PUBLISH_PAUSE_SECONDS
        logger.warning(
            "could not enqueue task; a sweeper will pick it up",
            extra={"task": task.name, "error": type(exc).__name__, "seconds": failed_after},
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **options: Any) -> None:
    """Publishes after commit. Robust: whatever goes wrong after the commit is logged and never
    turns the committed work (a 201) into an error."""
    transaction.on_commit(lambda: enqueue(task, *args, **options), robust=True)
