"""A client-side deadline for a database that stops answering (docs/adr/0036).

The server-side timeouts (backend.database: statement, lock, idle in transaction) need a server
that runs; libpq's `connect_timeout` and TCP keepalives cover a connect and a lost host. None of
them ends a query on a connection whose server is frozen (stopped, swapped out, a hung
storage): the kernel still acknowledges every packet, and the request waits for ever, then its
worker, then every worker, and the health probes behind them.

`DatabaseWatchdogMiddleware` notes which requests are in flight in this process and their
database connection. A watchdog thread looks every DATABASE_WATCHDOG_TICK_SECONDS: when a
request has run longer than DATABASE_STALL_SECONDS it asks the server for a sign of life on a
fresh connection, in a thread of its own (the opening of the protocol, answered by a running
server at once; at most once per DATABASE_PROBE_INTERVAL_SECONDS; no answer within
DATABASE_PROBE_TIMEOUT_SECONDS is a failure). A slow query on a live server is
left to the statement timeout. If the server does not answer, the database counts as
unreachable: the watchdog shuts down the sockets of the requests in flight (their query fails
at once with OperationalError, a 503 by backend.database_errors), and until a probe succeeds
again every new request is answered 503 (`database_unavailable`) before it touches the
database. The health probes are not watched: `/healthz`
needs no database and `/readyz` has its own deadline (backend.health).
"""

import contextlib
import logging
import os
import socket
import struct
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse

from backend.database_errors import database_error_response

logger = logging.getLogger(__name__)

UNWATCHED_PATHS = frozenset({"/healthz", "/readyz"})


class DatabaseUnreachable(OperationalError):
    """Raised for a request while the watchdog holds the database for unreachable."""


class _Watchdog:
    """The requests in flight of one process, and the thread that watches them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.in_flight: dict[int, tuple[float, Any]] = {}
        self.unreachable = False
        self.pid = 0
        self.probe_pool: ThreadPoolExecutor | None = None
        self.probe: Future | None = None
        self.probe_started = 0.0

    def ensure_running(self) -> None:
        """Starts the thread once per process (gunicorn forks its workers)."""
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid == os.getpid():
                return
            self.in_flight.clear()
            self.unreachable = False
            self.probe_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-probe")
            self.probe = None
            threading.Thread(target=self.run, name="db-watchdog", daemon=True).start()
            self.pid = os.getpid()

    def watch(self, ident: int, wrapper: Any) -> None:
        with self.lock:
            self.in_flight[ident] = (time.monotonic(), wrapper)

    def unwatch(self, ident: int) -> None:
        with self.lock:
            self.in_flight.pop(ident, None)

    def run(self) -> None:
        while True:
            time.sleep(settings.DATABASE_WATCHDOG_TICK_SECONDS)
            try:
                self.tick()
            except Exception:  # the watchdog must outlive any one failure
                logger.exception("database watchdog tick failed")

    def tick(self) -> None:
        """Reads the last probe's verdict, cuts what waits on an unreachable database, and
        starts a probe when a request stalls or to find out that the database is back."""
        now = time.monotonic()
        self.read_probe(now)
        with self.lock:
            ages = [(now - since, wrapper) for since, wrapper in self.in_flight.values()]
        if self.unreachable:
            # Nothing in flight gets an answer from this database: cut it all.
            _cut_all([wrapper for _, wrapper in ages])
        stalled = any(age >= settings.DATABASE_STALL_SECONDS for age, _ in ages)
        due = now - self.probe_started >= settings.DATABASE_PROBE_INTERVAL_SECONDS
        if (stalled or self.unreachable) and self.probe is None and due:
            assert self.probe_pool is not None
            self.probe_started = now
            self.probe = self.probe_pool.submit(_server_answers)

    def read_probe(self, now: float) -> None:
        if self.probe is None:
            return
        if self.probe.done():
            try:
                reachable = bool(self.probe.result())
            except Exception:
                reachable = False
            self.probe = None
        elif now - self.probe_started > settings.DATABASE_PROBE_TIMEOUT_SECONDS + 0.5:
            reachable = False  # connected, then no answer: stuck; no second probe meanwhile
        else:
            return
        if reachable and self.unreachable:
            logger.warning("database answers again")
        elif not reachable and not self.unreachable:
            logger.warning("database does not answer; requests answered 503 until it does")
        self.unreachable = not reachable


# The first message of a connection that asks for TLS: length 8, code 80877103. The server
# answers one byte ('S' or 'N') before any authentication (PostgreSQL protocol, 55.2.10).
_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def _server_answers() -> bool:
    """Whether the server answers the opening of a connection within the probe timeout. It
    needs no login, no backend session and no query: a server that runs answers at once."""
    params = connections["default"].settings_dict
    host = params.get("HOST") or "127.0.0.1"
    port = int(params.get("PORT") or 5432)
    if host.startswith("/"):
        probe = socket.socket(socket.AF_UNIX)
        address: Any = f"{host}/.s.PGSQL.{port}"
    else:
        probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        address = (host, port)
    with probe:
        probe.settimeout(settings.DATABASE_PROBE_TIMEOUT_SECONDS)
        probe.connect(address)
        probe.sendall(_SSL_REQUEST)
        return probe.recv(1) in (b"S", b"N")


def _cut_all(wrappers: list[Any]) -> None:
    for wrapper in wrappers:
        _cut(wrapper)


def _cut(wrapper: Any) -> None:
    """Shuts down the socket of a request's connection: the query waiting on it fails at once.
    The request's own thread closes the connection (Django, at the end of the request)."""
    raw = getattr(wrapper, "connection", None)
    with contextlib.suppress(Exception):  # closed or replaced meanwhile: nothing to cut
        duplicate = socket.socket(fileno=os.dup(raw.pgconn.socket))
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        finally:
            duplicate.close()
        logger.warning("stalled database connection cut")


watchdog = _Watchdog()


def database_unreachable() -> bool:
    return watchdog.unreachable


class DatabaseWatchdogMiddleware:
    """Below DatabaseErrorMiddleware, above everything that reads the database: the watched
    span covers the session and the user as much as the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = connections["default"].vendor == "postgresql"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled or request.path in UNWATCHED_PATHS:
            return self.get_response(request)
        watchdog.ensure_running()
        if watchdog.unreachable:
            # Answered here, not raised: a frozen database must not log a traceback a request.
            return database_error_response(request, DatabaseUnreachable("no answer to a probe"))
        ident = threading.get_ident()
        watchdog.watch(ident, connections["default"])
        try:
            return self.get_response(request)
        finally:
            watchdog.unwatch(ident)
