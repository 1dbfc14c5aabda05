"""A lost, restarting or busy database answers 503 in the JSON error shape with Retry-After on
every route (backend.database_errors, docs/adr/0025), never a 500. Loss is real: the
connection points at a closed port, or its server process is terminated; busy is a real lock
held by a second connection."""

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import InternalError, OperationalError, connection, connections
from django.test import Client

from backend.database import timeout_options
from backend.database_errors import database_error_code, is_database_error
from backend.exception_handler import handle_exception
from tests.factories import PASSWORD, UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_503(response, code: str = "database_unavailable") -> dict:
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body == {"code": code, "message": body["message"], "details": {"retry_after": 5}}
    return body


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gone() -> Iterator[None]:
    """Every new connection of this process goes to a port nobody listens on, as while the
    server restarts; the current one is closed. Put back before the test database is flushed."""
    params = connection.settings_dict
    host, port = params["HOST"], params["PORT"]
    connection.close()
    params["HOST"], params["PORT"] = "127.0.0.1", str(closed_port())
    try:
        yield
    finally:
        connection.close()
        params["HOST"], params["PORT"] = host, port


def direct_connection() -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
        autocommit=True,
    )


@pytest.fixture
def plain_client() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def member_client():
    return token_client(UserFactory())


def test_an_authenticated_api_call_answers_503_while_the_database_is_gone(member_client):
    member_client.raise_request_exception = False
    with _gone():
        response = member_client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_503(response)
    assert body["message"] == "The database is briefly unavailable; try again in 5 seconds."
    assert "no-store" in response["Cache-Control"]


def test_login_answers_503_in_dutch_while_the_database_is_gone(plain_client):
    user = UserFactory()
    with _gone():
        response = plain_client.post(
            "/api/v1/auth/login",
            {"email": user.email, "password": PASSWORD},
            content_type="application/json",
        )
    body = assert_503(response)
    assert body["message"].startswith("De database is even niet bereikbaar")


def test_the_admin_answers_503_json_not_an_html_500(plain_client):
    plain_client.cookies["sessionid"] = "a-session-the-admin-must-look-up"
    with _gone():
        response = plain_client.get("/admin/")
    assert_503(response)


@pytest.mark.urls("tests.backend.database_urls")
@pytest.mark.parametrize("path", ["/api/v1/test-session-write", "/test-session-page"])
def test_a_middleware_failing_after_the_view_answers_503(plain_client, path):
    # The view wrote to the session; SessionMiddleware fails saving it, below our middleware.
    with _gone():
        response = plain_client.get(path)
    assert_503(response)


def test_readiness_keeps_its_shape_and_liveness_stays_up(plain_client):
    with _gone():
        ready = plain_client.get("/readyz")
        live = plain_client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json()["failed"] == ["database"]
    assert live.status_code == 200


def test_the_drf_exception_handler_maps_a_real_connection_error_to_503():
    with _gone(), pytest.raises(OperationalError) as info:
        connection.ensure_connection()
    response = handle_exception(info.value, {})
    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.data["code"] == "database_unavailable"


def test_a_connection_terminated_mid_request_answers_503(member_client):
    member_client.raise_request_exception = False
    member_client.get("/api/v1/me")  # the connection is open and checked for this request
    with direct_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    try:
        response = member_client.get("/api/v1/me")
    finally:
        connection.close()  # the dead one; the flush after the test opens a new one
    assert_503(response)


def test_a_connection_killed_by_a_restart_is_replaced_when_the_next_request_starts(member_client):
    """Persistent connections (CONN_MAX_AGE) are health-checked once per request
    (CONN_HEALTH_CHECKS): the first request after a restart reconnects instead of failing."""
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        member_client.get("/api/v1/me")
        with direct_connection() as other:
            other.execute(
                "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
            )
        connection.close_if_unusable_or_obsolete()  # what request_started does
        response = member_client.get("/api/v1/me")
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
    assert response.status_code == 200, response.content[:300]


def test_a_lock_held_past_the_lock_timeout_answers_503_database_busy(member_client):
    member_client.raise_request_exception = False
    options = connection.settings_dict["OPTIONS"]
    configured = options["options"]
    options["options"] = configured.replace(
        timeout_options(statement=15, lock=5, idle_in_transaction=30),
        timeout_options(statement=15, lock=0.3, idle_in_transaction=30),
    )
    connection.close()
    try:
        with direct_connection() as holder, holder.transaction():
            holder.execute("LOCK TABLE accounts_user IN ACCESS EXCLUSIVE MODE")
            response = member_client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    finally:
        options["options"] = configured
        connection.close()
    body = assert_503(response, "database_busy")
    assert body["message"] == "The database is briefly too busy; try again in 5 seconds."


def test_a_session_ended_for_idling_in_a_transaction_counts_as_a_lost_database():
    """The server ends such a session with 25P03, which psycopg raises as an InternalError."""
    options = connection.settings_dict["OPTIONS"]
    configured = options["options"]
    options["options"] = timeout_options(statement=15, lock=5, idle_in_transaction=0.2)
    idle = connections.create_connection("default")
    try:
        idle.set_autocommit(False)
        with idle.cursor() as cursor:
            cursor.execute("SELECT 1")
        time.sleep(0.6)
        with pytest.raises(InternalError) as info, idle.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        options["options"] = configured
        idle.close()
    assert is_database_error(info.value)
    assert database_error_code(info.value) == "database_unavailable"
