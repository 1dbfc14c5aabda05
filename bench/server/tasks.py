"""The no-op task: the floor of a Celery round trip and of a worker's throughput."""

import time
from functools import lru_cache

import redis
from celery import shared_task
from django.conf import settings

NOOP_LIST = "bench:noop"


@lru_cache(maxsize=1)
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@shared_task(name="bench.noop", ignore_result=True)
def noop(token: str) -> None:
    """Does nothing but say when it ran, so the harness can time it.

    Side effects: one RPUSH of "<token> <unix time>" to bench:noop in REDIS_URL's database."""
    _redis().rpush(NOOP_LIST, f"{token} {time.time():.6f}")
