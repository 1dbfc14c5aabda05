"""A database that stops answering (issue 18, part 8): connects give up after the connect
timeout, and a request waiting on a frozen server answers 503 in the error shape within seconds
(backend.database_watchdog, docs/adr/0036) while /healthz stays up. The freeze is real: a proxy
in front of the test database that passes nothing on (tests/backend/frozen_proxy.py)."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client

from backend.database_watchdog import watchdog
from tests.backend.frozen_proxy import FrozenProxy
from tests.factories import UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def bounded(call, seconds: float) -> tuple[bool, list]:
    """Runs `call` in a thread; whether it ended within `seconds`, and its result or error."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as exc:
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), outcome


def test_a_connect_to_a_server_that_never_answers_gives_up_within_the_connect_timeout(settings):
    silent = socket.socket()  # the kernel completes the handshake; nobody ever answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    params = connection.get_connection_params()
    params.update(host="127.0.0.1", port=silent.getsockname()[1])
    try:
        ended, outcome = bounded(
            lambda: psycopg.connect(**params), settings.DATABASE_CONNECT_TIMEOUT_SECONDS + 1.5
        )
    finally:
        silent.close()
    assert ended, "connect still waiting"
    assert isinstance(outcome[0], psycopg.OperationalError), outcome


@contextmanager
def through_proxy() -> Iterator[FrozenProxy]:
    """Every connection of this process (request threads, the watchdog's probe) goes through a
    freezable proxy; put back before the test database is flushed."""
    params = connection.settings_dict
    host, port, max_age = params["HOST"], params["PORT"], params["CONN_MAX_AGE"]
    proxy = FrozenProxy((host or "127.0.0.1", int(port or 5432)))
    connection.close()
    # Persistent connections with health checks, as in production (backend/settings/base.py).
    params["HOST"], params["PORT"], params["CONN_MAX_AGE"] = "127.0.0.1", str(proxy.port), 60
    try:
        yield proxy
    finally:
        proxy.thaw()
        connection.close()
        params["HOST"], params["PORT"], params["CONN_MAX_AGE"] = host, port, max_age
        proxy.stop()
        watchdog.unreachable = False


def get(client, path: str = "/api/v1/devices"):
    """A request, and what the server does at its end (the test client leaves it out): a
    connection that failed is closed, the next request opens a new one."""
    try:
        return client.get(path)
    finally:
        close_old_connections()


def test_a_frozen_database_answers_503_within_seconds_and_health_stays_up(settings):
    client = token_client(UserFactory())
    # Stalled, probed, cut; then the health check's reconnect gives up after the connect
    # timeout (Django opens a new connection when the old one failed its check).
    deadline = (
        settings.DATABASE_STALL_SECONDS
        + settings.DATABASE_PROBE_TIMEOUT_SECONDS
        + 0.5
        + 2 * settings.DATABASE_WATCHDOG_TICK_SECONDS
        + settings.DATABASE_CONNECT_TIMEOUT_SECONDS
        + 1.0
    )
    with through_proxy() as proxy:
        # This thread's connection is open through the proxy, as a worker's persistent one.
        assert get(client).status_code == 200

        proxy.freeze()
        safety = threading.Timer(deadline + 10, proxy.thaw)  # never wait for ever
        safety.start()
        began = time.monotonic()
        response = get(client)
        waited = time.monotonic() - began
        safety.cancel()
        assert response.status_code == 503, response.content[:300]
        assert response.json()["code"] == "database_unavailable"
        assert response["Retry-After"] == "5"
        assert settings.DATABASE_STALL_SECONDS <= waited <= deadline, waited

        assert watchdog.unreachable
        began = time.monotonic()
        again = get(client)  # no wait at all while it does not answer
        assert again.status_code == 503 and time.monotonic() - began < 0.5
        assert again.json()["code"] == "database_unavailable"
        assert Client().get("/healthz").status_code == 200

        proxy.thaw()
        began = time.monotonic()
        while get(client).status_code != 200:
            assert time.monotonic() - began < 5, "the database answers again, requests do not"
            time.sleep(0.2)


def test_a_slow_query_on_a_live_database_is_not_cut(settings):
    settings.DATABASE_STALL_SECONDS = 0.2
    client = token_client(UserFactory())
    watchdog.ensure_running()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    from backend.database_watchdog import DatabaseWatchdogMiddleware

    def slow_view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1.2)")
        return client.get("/healthz")

    middleware = DatabaseWatchdogMiddleware(slow_view)
    request = type("Request", (), {"path": "/api/v1/slow"})()
    assert middleware(request).status_code == 200
    assert watchdog.unreachable is False
