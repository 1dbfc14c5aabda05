"""A fingerprint of every table, to prove that a refused request changed nothing: one query,
an md5 of each table's rows. Stricter than row counts and versions: any changed column of any
row shows.

Left out, on purpose: the logs every request may write (the access log records denials, axes
records failed logins) and django-otp's per-device throttle bookkeeping (a wrong code must
count towards the device's lockout; that is the point of it)."""

from functools import cache

from django.db import connection

LOG_TABLES = {"privacy_accesslog", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
BOOKKEEPING = {"throttling_failure_timestamp", "throttling_failure_count", "last_used_at"}


@cache
def _tables() -> tuple[str, ...]:
    return tuple(sorted(t for t in connection.introspection.table_names() if t not in LOG_TABLES))


@cache
def _query() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in _tables():
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                if c.name not in BOOKKEEPING
            ]
            row = "ROW(" + ", ".join(connection.ops.quote_name(c) for c in columns) + ")::text"
            parts.append(
                f"(SELECT md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) "
                f"FROM {connection.ops.quote_name(table)})"
            )
    return "SELECT " + ", ".join(parts)


def snapshot() -> dict[str, str]:
    """Table name -> md5 of its rows."""
    with connection.cursor() as cursor:
        cursor.execute(_query())
        return dict(zip(_tables(), cursor.fetchone(), strict=True))


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before if before[table] != after.get(table))
