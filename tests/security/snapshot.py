"""Proof that a refused request changed nothing, stricter than row counts and versions: an md5
of every row of every table, compared with the world's state before the cell.

Cheap per cell: PostgreSQL counts, per table and for the running transaction, the rows written
(pg_stat_xact_user_tables, rolled-back savepoints included). Only tables whose count moved
during the cell are fingerprinted again; a write rolled back inside the request leaves the
same fingerprint and counts as nothing changed.

Left out, on purpose: the logs every request may write (the access log records denials, axes
records failed logins) and django-otp's per-device throttle bookkeeping (a wrong code must
count towards the device's lockout; that is its point)."""

from functools import cache

from django.db import connection

LOG_TABLES = {"privacy_accesslog", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
BOOKKEEPING = {"throttling_failure_timestamp", "throttling_failure_count", "last_used_at"}


@cache
def _fingerprint_sql() -> dict[str, str]:
    """Table -> a query for the md5 of its rows (bookkeeping columns left out)."""
    queries = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in LOG_TABLES:
                continue
            columns = connection.introspection.get_table_description(cursor, table)
            names = [quote(c.name) for c in columns if c.name not in BOOKKEEPING]
            row = f"ROW({', '.join(names)})::text"
            queries[table] = (
                f"(SELECT md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) "
                f"FROM {quote(table)})"
            )
    return queries


def fingerprints(tables: list[str] | None = None) -> dict[str, str]:
    """Table -> md5 of its rows, for `tables` (default: every table but the logs)."""
    queries = _fingerprint_sql()
    names = sorted(queries) if tables is None else sorted(t for t in tables if t in queries)
    if not names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(queries[name] for name in names))
        return dict(zip(names, cursor.fetchone(), strict=True))


def write_counts() -> dict[str, int]:
    """Table -> rows inserted, updated and deleted so far in this transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


def changed_tables(baseline: dict[str, str], counts_before: dict[str, int]) -> list[str]:
    """Tables whose rows differ from `baseline`, looking only where rows were written since
    `counts_before` was taken."""
    counts = write_counts()
    written = [t for t, n in counts.items() if n != counts_before.get(t, 0)]
    now = fingerprints(written)
    return sorted(table for table, digest in now.items() if digest != baseline[table])
