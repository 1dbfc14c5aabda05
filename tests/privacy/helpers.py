"""Helpers for access log tests: rows to tamper with and a way past the append-only triggers."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from audit.context import AccessContext
from audit.models import AccessLog, Action, Purpose
from audit.sealing import access_log_seal
from audit.services import access_log_record


def write_rows(count: int, *, sealed: bool = True) -> list[AccessLog]:
    """`count` rows, sealed (as read back after sealing) unless told otherwise."""
    rows = [
        access_log_record(
            context=AccessContext.system(),
            action=Action.READ,
            purpose=Purpose.SIGNAL_HANDLING,
            object_type="signals.signal",
            object_id=str(n),
        )
        for n in range(count)
    ]
    if not sealed:
        return rows
    access_log_seal()
    return [AccessLog.objects.get(pk=row.pk) for row in rows]


@contextmanager
def triggers_disabled() -> Iterator[None]:
    """As the test superuser, switch the append-only triggers off for a moment, as an attacker
    with owner rights would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE privacy_accesslog DISABLE TRIGGER privacy_accesslog_append_only"
        )
        try:
            yield
        finally:
            cursor.execute(
                "ALTER TABLE privacy_accesslog ENABLE TRIGGER privacy_accesslog_append_only"
            )
