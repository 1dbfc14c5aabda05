"""Enqueue Celery tasks after the surrounding transaction commits, without ever failing the
request when the broker is down: the database row is the outbox and a beat sweeper re-enqueues
whatever was left behind (docs/adr/0006-outbox-and-sweepers.md)."""

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, **options: Any) -> bool:
    """Publishes now; returns False (and logs) when the broker cannot be reached."""
    try:
        task.apply_async(args=args, retry=False, **options)
    except Exception as exc:  # kombu/redis raise a variety of connection errors
        logger.warning(
            "could not enqueue task; a sweeper will pick it up",
            extra={"task": task.name, "error": type(exc).__name__},
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **options: Any) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, **options))
