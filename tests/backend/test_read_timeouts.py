"""A read a user can start that runs into the statement timeout answers 503 `database_busy` in
the error shape, never a 500 (issue 24: `/stats` at 1M signals answered 500 after 31 s). The
timeout is real: the statement waits on a lock another connection holds, and the session's
statement_timeout (short here, 15 s in production) cancels it with SQLSTATE 57014 before the
lock timeout would."""

import psycopg
import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.fixtures import token_client

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READS = [
    ("/api/v1/stats", "outcomes_figurerelease", "application/json"),
    ("/api/v1/stats/tables?name=grid", "outcomes_figurerelease", "application/json"),
    ("/api/v1/stats/charts?name=score-distribution", "outcomes_figurerelease", "image/svg+xml"),
    (
        "/api/v1/audit/access-log?subject=5f0c3c56-4a8e-4f43-9a43-5c1f4f2f6b11",
        "audit_accesslogsubject",
        "application/json",
    ),
]


def direct_connection() -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    )


@pytest.mark.parametrize(("path", "table", "accept"), READS)
def test_a_statement_timeout_on_a_read_answers_503_database_busy(path, table, accept, caplog):
    client = token_client(UserFactory(privacy_officer=True))
    client.raise_request_exception = False
    assert client.get("/api/v1/me").status_code == 200  # session cached, connection open
    with direct_connection() as holder, holder.transaction():
        holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = '300ms'")
        try:
            response = client.get(path, HTTP_ACCEPT=accept, HTTP_ACCEPT_LANGUAGE="en")
        finally:
            connection.close()  # the next connection has the configured timeouts again
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "database_busy"
    assert body["message"] == "The database is briefly too busy; try again in 5 seconds."
    answered = [r for r in caplog.records if r.getMessage() == "database error answered 503"]
    assert [r.sqlstate for r in answered] == ["57014"]  # the statement timeout, not the lock's
