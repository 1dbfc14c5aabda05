"""A real Celery worker process for the tests whose behaviour depends on one, plus helpers to
look at the real Redis broker."""

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kombu.pools
import pytest
import redis
from django.conf import settings

from backend.enqueue import publish_pause_reset

ROOT = Path(__file__).resolve().parent.parent


def broker_client() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def queued_task_names(queue: str = "default") -> list[str]:
    """Names of the task messages waiting in a queue of the real broker."""
    messages = broker_client().lrange(queue, 0, -1)
    return [json.loads(raw)["headers"]["task"] for raw in messages]


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The test broker (its own Redis database), emptied before the test."""
    client = broker_client()
    client.flushdb()
    yield client


def _database_url() -> str:
    from django.db import connection

    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return (
        f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )


@pytest.fixture(scope="module")
def celery_worker_process(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Starts `celery worker` against the test database and the test broker; yields its log."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with django_db_blocker.unblock():
        database_url = _database_url()
    broker_client().flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "PUSH_GATEWAY": "console",
        "LOG_FORMAT": "json",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "backend",
                "worker",
                "-Q",
                "default,notifications",
                "--pool",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
                "-n",
                "test-worker@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: "ready" in log.read_text(),
            timeout=30,
            message=lambda: f"worker did not start:\n{log.read_text()}",
        )
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(
    condition: Callable[[], Any],
    *,
    timeout: float = 20,
    message: Callable[[], str] | str = "condition not met",
) -> Any:
    """Polls `condition` until it is truthy; fails the test with `message` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(message() if callable(message) else message)


@contextlib.contextmanager
def broker_unreachable() -> Iterator[None]:
    """Points the Celery app at a port where nothing listens, as when Redis is down, then back."""
    with broker_at("redis://127.0.0.1:1/0"):
        yield


@contextlib.contextmanager
def broker_hung() -> Iterator[None]:
    """Points the Celery app at a listener that accepts connections and never answers, as a
    stopped (SIGSTOP) or half-open Redis does, then back."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        with broker_at(f"redis://127.0.0.1:{listener.getsockname()[1]}/0"):
            yield


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    from backend.celery import app as celery_app

    original = celery_app.conf.broker_url

    def reset_pools() -> None:
        publish_pause_reset()  # the failed publishes paused this process's publishing
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        # kombu keeps producer pools per broker URL globally; one would hold a closed pool.
        kombu.pools.reset()

    celery_app.conf.broker_url = url
    reset_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_url = original
        reset_pools()
