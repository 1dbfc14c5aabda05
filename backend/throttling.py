"""The project's one API throttle (docs/adr/0018-client-addresses-throttles-rights-gate.md).

A view names a `throttle_scope`; its rate is the REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] entry
of that scope, each fed by an environment setting. Callers are told apart by user id once
authenticated, and before that by the client address exactly as the access log derives it
(`backend.request_context.client_address`, TRUSTED_PROXY_COUNT), never by a header the client chose.
"""

import logging
from typing import Any

from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from backend.request_context import client_address

logger = logging.getLogger(__name__)


class ScopedThrottle(ScopedRateThrottle):
    """DRF's scoped throttle with three changes:

    - the address is `client_address` (DRF's own `get_ident` believes X-Forwarded-For);
    - requests are counted per fixed window with an atomic add + incr, so a burst of concurrent
      requests cannot all pass one read-then-write of DRF's request history;
    - when the cache cannot be reached the request goes through and a warning is logged: a
      throttle is a resource limit, and signal intake must keep working while Redis is down
      (the hard limits, such as the device cap and the login lockout, live in the database).

    A view may define `throttle_applies(request) -> bool` to throttle only some of its calls
    (a POST next to a GET, a CSV export next to a JSON page)."""

    cache_format = "throttle:%(scope)s:%(ident)s"

    @property
    def THROTTLE_RATES(self) -> dict[str, str]:
        # Read per request rather than at import, so settings overrides take effect.
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request: Request) -> str:
        return client_address(request) or "unknown"

    def allow_request(self, request: Request, view: Any) -> bool:
        applies = getattr(view, "throttle_applies", None)
        if applies is not None and not applies(request):
            return True
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        key = f"{self.get_cache_key(request, view)}:{window}"
        try:
            count = self._count(key)
        except (RedisError, OSError):
            logger.warning(
                "throttle counter unavailable; request let through",
                extra={"throttle_scope": self.scope},
            )
            return True
        self.seconds_to_wait = (window + 1) * self.duration - now
        return count <= self.num_requests

    def _count(self, key: str) -> int:
        # The window number is part of the key, so a counter is never read after its window.
        client = _redis_client(self.cache, key)
        if client is not None:
            # One round trip: create the counter with the window's lifetime if it is new, then
            # count. Django's add + incr is three (incr asks EXISTS first); docs/adr/0029.
            name = self.cache.make_and_validate_key(key)
            pipe = client.pipeline(transaction=False)
            pipe.set(name, 0, ex=self.duration + 1, nx=True)
            pipe.incr(name)
            return int(pipe.execute()[1])
        self.cache.add(key, 0, timeout=self.duration + 1)
        try:
            return self.cache.incr(key)
        except ValueError:  # expired between add and incr
            self.cache.set(key, 1, timeout=self.duration + 1)
            return 1

    def wait(self) -> float:
        return self.seconds_to_wait


def _redis_client(cache: Any, key: str) -> Any:
    """The redis-py client behind Django's RedisCache (whose counters are stored as plain
    integers, so INCR and cache.get agree), or None for another backend (the demo's memory)."""
    backend = caches["default"] if cache is default_cache else cache
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(key, write=True)
