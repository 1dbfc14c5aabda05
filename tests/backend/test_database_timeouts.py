"""Every PostgreSQL session has a statement, lock and idle-in-transaction timeout from its first
statement (backend.database, docs/adr/0025); a Celery worker's statements may run longer."""

import time

import psycopg
import pytest
from django.db import connection

from backend.database import timeout_options, use_worker_timeouts

pytestmark = pytest.mark.django_db


def show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_web_connections_have_the_three_timeouts():
    assert show("statement_timeout") == "15s"
    assert show("lock_timeout") == "5s"
    assert show("idle_in_transaction_session_timeout") == "30s"


def test_connections_run_without_jit_compilation():
    # A queue page over a million signals spent 161 of its 271 ms compiling (docs/performance.md).
    assert show("jit") == "off"


def test_a_worker_swaps_in_its_longer_statement_timeout_and_keeps_the_others(settings):
    settings.DATABASES["default"]["OPTIONS"] = dict(settings.DATABASES["default"]["OPTIONS"])
    configured = settings.DATABASES["default"]["OPTIONS"]["options"]
    connection.settings_dict["OPTIONS"] = settings.DATABASES["default"]["OPTIONS"]
    settings.WORKER_DATABASE_STATEMENT_TIMEOUT_SECONDS = 40
    use_worker_timeouts()
    options = settings.DATABASES["default"]["OPTIONS"]["options"]
    assert options == configured.replace("statement_timeout=15000", "statement_timeout=40000")
    assert "lock_timeout=5000" in options


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_left_idle_is_ended_by_the_server():
    params = connection.get_connection_params()
    params["options"] = timeout_options(statement=15, lock=5, idle_in_transaction=0.2)
    with psycopg.connect(**params) as idle:
        idle.execute("SELECT 1")  # opens a transaction (psycopg is not in autocommit)
        time.sleep(0.6)
        with pytest.raises(psycopg.errors.IdleInTransactionSessionTimeout):
            idle.execute("SELECT 1")
