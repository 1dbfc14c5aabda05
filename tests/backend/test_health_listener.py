"""The health probes' own listener in every web worker (backend.health_listener, docs/adr/0036):
the views' answers on a port of their own that the workers share, and nothing else there. That
it answers while every request thread waits on a frozen database is shown in tests/faults
(test_database_frozen_under_traffic_...)."""

import socket
from collections.abc import Iterator

import pytest
import requests

from backend.health_listener import health_listener_start

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def listeners() -> Iterator[list]:
    started: list = []
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


def test_two_workers_share_the_port_and_each_answers_the_probes(listeners):
    port = free_port()
    listeners += [health_listener_start(f"127.0.0.1:{port}") for _ in range(2)]
    base = f"http://127.0.0.1:{port}"

    healthz = requests.get(f"{base}/healthz", timeout=5)
    assert (healthz.status_code, healthz.json()) == (200, {"status": "ok"})
    readyz = requests.get(f"{base}/readyz", timeout=5)
    assert readyz.status_code == 200, readyz.text
    assert readyz.json()["checks"] == {"database": {"status": "ok"}}
    assert readyz.headers["Content-Type"] == "application/json"


def test_nothing_but_the_probes_is_served_there(listeners):
    port = free_port()
    listeners.append(health_listener_start(f"127.0.0.1:{port}"))
    base = f"http://127.0.0.1:{port}"

    assert requests.get(f"{base}/api/v1/devices", timeout=5).status_code == 404
    assert requests.get(f"{base}/admin/", timeout=5).status_code == 404
    assert requests.post(f"{base}/healthz", timeout=5).status_code == 404
