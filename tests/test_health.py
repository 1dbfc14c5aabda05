import pytest

pytestmark = pytest.mark.django_db


def test_healthz(api_client):
    response = api_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_with_database_and_redis(api_client):
    response = api_client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": {"status": "ok"}, "broker": {"status": "ok"}}


def test_readyz_names_the_broker_when_redis_is_unreachable(api_client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = api_client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["broker"]["status"] == "fail"
