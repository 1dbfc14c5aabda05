"""/metrics: requests per route, queues, outbox, sealer lag, read while work happens on the
real PostgreSQL and Redis; only a scraper with the token gets them (docs/adr/0045)."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from audit.sealing import access_log_seal
from backend.enqueue import publish_pause_reset
from notifications.models import EmailNotice, Notification
from tests.factories import UserFactory
from tests.fixtures import token_client
from tests.notifications.factories import NotificationFactory
from tests.operations.helpers import TOKEN, scrape, value
from tests.signals.factories import intake_payload

pytestmark = pytest.mark.django_db

REQUESTS = "buurtsignaal_http_requests_total"
LATENCY_COUNT = "buurtsignaal_http_request_duration_seconds_count"


@pytest.fixture
def scraper() -> Client:
    return Client()


# --- who may scrape ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "],
)
def test_without_the_token_the_answer_is_401_in_the_error_shape(scraper, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = scraper.get("/metrics", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    body = response.json()
    assert body["code"] == "metrics_token_required"
    assert body["details"] == {}
    assert "buurtsignaal_" not in response.content.decode()


def test_the_refusal_speaks_dutch_and_english(scraper):
    dutch = scraper.get("/metrics", HTTP_ACCEPT_LANGUAGE="nl").json()["message"]
    english = scraper.get("/metrics", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert dutch == "Voor de metrieken is het juiste bearer-token nodig."
    assert english == "The metrics need the right bearer token."


def test_a_users_own_access_token_is_not_the_metrics_token():
    client = token_client(UserFactory(field_worker=True))
    assert client.get("/metrics").status_code == 401


def test_without_a_configured_token_the_endpoint_is_off(scraper, settings):
    settings.METRICS_TOKEN = ""
    response = scraper.get("/metrics", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


def test_only_get_and_head(scraper):
    response = scraper.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 405


# --- requests per route -------------------------------------------------------------------------


def test_requests_are_counted_per_route_name_never_per_path(scraper):
    client = token_client(UserFactory(field_worker=True))
    signal_id = uuid.uuid4()
    before = scrape(scraper)
    # A field worker may not read a signal's detail: 403 (whatever it is, it is counted).
    assert client.get(f"/api/v1/signals/{signal_id}").status_code == 403
    assert client.get(f"/api/v1/signals/{signal_id}").status_code == 403
    assert scraper.get(f"/no/such/{signal_id}").status_code == 404
    after = scrape(scraper)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved(REQUESTS, route="signal-detail", method="GET", status="403") == 2
    assert moved(LATENCY_COUNT, route="signal-detail", method="GET") == 2
    assert moved(REQUESTS, route="unmatched", method="GET", status="404") == 1
    # The scrape before this one was counted too, under the endpoint's own name.
    assert moved(REQUESTS, route="metrics", method="GET", status="200") == 1
    for _name, labels in after:
        assert all(str(signal_id) not in str(label) for label in labels)


# --- while work happens -------------------------------------------------------------------------


def test_a_scrape_while_signals_come_in_shows_requests_queue_backlog_and_sealer_lag(
    scraper, broker, django_capture_on_commit_callbacks
):
    publish_pause_reset()
    client = token_client(UserFactory(field_worker=True))
    access_log_seal()
    before = scrape(scraper)
    assert value(before, "buurtsignaal_celery_broker_up") == 1
    assert value(before, "buurtsignaal_access_log_unsealed") == 0

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/signals", intake_payload(), format="json")
        assert response.status_code == 201, response.content
    during = scrape(scraper)

    def moved(name, **labels):
        return value(during, name, **labels) - value(before, name, **labels)

    assert moved(REQUESTS, route="signal-create", method="POST", status="201") == 3
    assert moved(LATENCY_COUNT, route="signal-create", method="POST") == 3
    # No worker consumes this Redis database: the routing tasks wait in the queue.
    assert moved("buurtsignaal_celery_queue_length", queue="default") == broker.llen("default")
    assert broker.llen("default") >= 3
    assert moved("buurtsignaal_signals_unrouted") == 3
    # Every intake wrote its access-log row, and no sealer ran yet.
    assert value(during, "buurtsignaal_access_log_unsealed") >= 3
    assert value(during, "buurtsignaal_access_log_unsealed_oldest_age_seconds") >= 0

    sealed = access_log_seal()
    assert sealed.sealed >= 3
    after = scrape(scraper)
    assert value(after, "buurtsignaal_access_log_unsealed") == 0
    assert value(after, "buurtsignaal_access_log_unsealed_oldest_age_seconds") == 0


def test_the_sealer_lag_is_the_age_of_the_oldest_unsealed_row(scraper):
    client = token_client(UserFactory(field_worker=True))
    access_log_seal()
    assert client.get("/api/v1/my/signals").status_code == 200  # a read of personal data: a row
    from audit.models import AccessLog

    unsealed = AccessLog.objects.filter(row_hash__isnull=True)
    assert unsealed.exists()
    # Rows are append-only; age them by scraping later instead of changing them.
    oldest = unsealed.order_by("occurred_at").first().occurred_at
    samples = scrape(scraper)
    lag = value(samples, "buurtsignaal_access_log_unsealed_oldest_age_seconds")
    assert 0 < lag <= (timezone.now() - oldest).total_seconds()


def test_the_outbox_backlog_and_the_failures(scraper):
    before = scrape(scraper)
    old = timezone.now() - timedelta(minutes=7)
    pending = NotificationFactory()
    Notification.objects.filter(pk=pending.pk).update(created_at=old)
    NotificationFactory(status=Notification.Status.SENDING, claimed_at=timezone.now())
    NotificationFactory(last_error_code="unavailable", attempts=1)  # retrying
    NotificationFactory(status=Notification.Status.FAILED, last_error_code="internal")
    NotificationFactory(status=Notification.Status.DEAD, last_error_code="unregistered")
    NotificationFactory(status=Notification.Status.SENT)
    user = UserFactory()
    for status, error in (("pending", ""), ("failed", "smtp_refused"), ("sent", "")):
        EmailNotice.objects.create(
            user=user,
            kind=EmailNotice.Kind.TEAM_DIGEST,
            reason=EmailNotice.Reason.DIGEST,
            status=status,
            last_error_code=error,
            dedupe_key=f"metrics-test:{status}",
        )
    after = scrape(scraper)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    waiting = "buurtsignaal_outbox_waiting"
    assert moved(waiting, channel="push", status="pending") == 2
    assert moved(waiting, channel="push", status="sending") == 1
    assert moved(waiting, channel="email", status="pending") == 1
    age = value(after, f"{waiting}_oldest_age_seconds", channel="push", status="pending")
    assert 7 * 60 <= age < 8 * 60
    failed = "buurtsignaal_outbox_failed"
    assert moved(failed, channel="push", status="failed") == 1
    assert moved(failed, channel="push", status="dead") == 1
    assert moved(failed, channel="push", status="retrying") == 1
    assert moved(failed, channel="email", status="failed") == 1


def test_a_broker_that_does_not_answer_leaves_the_rest_of_the_scrape(scraper, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    samples = scrape(scraper)
    assert value(samples, "buurtsignaal_celery_broker_up") == 0
    assert not any(name == "buurtsignaal_celery_queue_length" for name, _ in samples)
    assert ("buurtsignaal_signals_unrouted", frozenset()) in samples
