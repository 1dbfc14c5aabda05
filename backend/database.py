"""PostgreSQL session timeouts, set as connection options (docs/adr/0025).

`statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout` go into the
libpq `options` of the connection (`-c name=value`), so every session has them from its first
statement, without an extra round trip. The settings give web values; a Celery worker swaps in
its longer statement timeout when it starts (`use_worker_timeouts`, from backend.celery).
"""

import re

from django.conf import settings
from django.db import connections

_STATEMENT = re.compile(r"-c statement_timeout=\d+")


def _milliseconds(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def timeout_options(*, statement: float, lock: float, idle_in_transaction: float) -> str:
    """libpq options for the three timeouts, in seconds (0: no timeout)."""
    return " ".join(
        [
            f"-c statement_timeout={_milliseconds(statement)}",
            f"-c lock_timeout={_milliseconds(lock)}",
            f"-c idle_in_transaction_session_timeout={_milliseconds(idle_in_transaction)}",
        ]
    )


def use_worker_timeouts() -> None:
    """Replaces the statement timeout of the default connection by the worker's. Called in the
    worker's main process before its pool starts, so every pool child inherits it."""
    options = settings.DATABASES["default"].get("OPTIONS", {})
    current = options.get("options", "")
    if not _STATEMENT.search(current):
        return  # not PostgreSQL, or timeouts configured by hand
    worker = _milliseconds(settings.WORKER_DATABASE_STATEMENT_TIMEOUT_SECONDS)
    options["options"] = _STATEMENT.sub(f"-c statement_timeout={worker}", current)
    connections["default"].close()  # a connection opened before this keeps the old value
