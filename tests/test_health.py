"""Liveness and readiness. Readiness is the database; the broker and worker heartbeats are
reported for monitoring and never take intake out of service (docs/adr/0019). The bounded
answer when the database hangs is proven against a frozen PostgreSQL in tests/faults."""

import time

import pytest

from backend.worker_health import heartbeat_write
from tests.worker import wait_for

pytestmark = pytest.mark.django_db


def test_healthz(api_client):
    response = api_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_with_database_and_redis(api_client):
    response = api_client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["failed"]) == ("ok", [])
    assert body["checks"] == {"database": {"status": "ok"}}
    assert body["monitoring"]["broker"]["status"] == "ok"


def test_readyz_stays_ready_when_the_broker_is_unreachable_and_says_so(api_client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = api_client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["monitoring"]["broker"] == {"status": "fail", "error": "ConnectionError"}


def test_readyz_reports_queues_without_a_worker_heartbeat_as_missing(api_client):
    body = api_client.get("/readyz").json()
    assert body["monitoring"]["workers"] == {
        "status": "fail",
        "queues": {"default": {"status": "missing"}, "notifications": {"status": "missing"}},
    }


def test_readyz_reports_a_stale_heartbeat_without_failing(api_client, settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 60
    heartbeat_write(hostname="old@host", queues=["default"], now=time.time() - 120)
    heartbeat_write(hostname="new@host", queues=["notifications"])
    response = api_client.get("/readyz")
    assert response.status_code == 200
    queues = response.json()["monitoring"]["workers"]["queues"]
    assert queues["default"]["status"] == "stale"
    assert queues["default"]["age_seconds"] >= 119
    assert queues["default"]["worker"] == "old@host"
    assert queues["notifications"]["status"] == "ok"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.worker
def test_a_running_worker_beats_for_the_queues_it_consumes(api_client, celery_worker_process):
    def beating() -> dict | None:
        workers = api_client.get("/readyz").json()["monitoring"]["workers"]
        return workers if workers["status"] == "ok" else None

    workers = wait_for(beating, timeout=30, message=lambda: celery_worker_process.read_text())
    for queue in ("default", "notifications"):
        assert workers["queues"][queue]["worker"].startswith("test-worker@")
        assert workers["queues"][queue]["age_seconds"] <= 15
