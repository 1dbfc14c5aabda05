"""pgbench scripts written from rows the application itself wrote in this run.

The intake script repeats, in one transaction, the inserts of one intake: the signal, its
reason, its consent, its `created` event and its access-log row under the chain lock, with the
column values of a real intake (ciphertexts included) and fresh ids. The chain scripts write
only the access-log row, with and without the chain (lock, head read, sequence + 1).

Tables are found by their columns, so the access log may move to another app. pgbench runs in
simple query mode (as Django's client-side binding does); `:name` is its variable syntax.
"""

from pathlib import Path

import psycopg

# audit.services.CHAIN_LOCK_KEY ("NEN7513" in ASCII): the same lock the application takes.
CHAIN_LOCK_KEY = 0x4E454E37353133
NO_CHAIN_SEQUENCE = "bench_access_log_no_chain"


def _quote(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def access_log_table(conn: psycopg.Connection) -> str:
    row = conn.execute(
        """SELECT table_name FROM information_schema.columns
           WHERE table_schema = 'public'
             AND column_name IN ('row_hash', 'previous_hash', 'sequence')
           GROUP BY table_name HAVING count(*) = 3"""
    ).fetchone()
    if row is None:
        raise RuntimeError("no access-log table (sequence, previous_hash, row_hash) found")
    return row[0]


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute(
        """SELECT column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position""",
        [table],
    ).fetchall()
    return [row[0] for row in rows]


def _insert(
    conn: psycopg.Connection,
    table: str,
    where: str,
    params: list,
    overrides: dict[str, str],
    skip: tuple[str, ...] = (),
) -> str:
    """INSERT of one existing row's values as text literals, some columns replaced."""
    columns = [c for c in _columns(conn, table) if c not in skip]
    select = ", ".join(f'"{c}"::text' for c in columns)
    row = conn.execute(f"SELECT {select} FROM {table} WHERE {where} LIMIT 1", params).fetchone()
    if row is None:
        raise RuntimeError(f"no {table} row where {where} {params}")
    values = [overrides.get(c, _quote(v)) for c, v in zip(columns, row, strict=True)]
    assert "\n" not in "".join(values)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)});"


def _hash(row_text: str) -> str:
    # The application hashes a canonical JSON of the row; here the previous hash and a row's
    # worth of text, so the database does a comparable SHA-256.
    return f"encode(sha256(convert_to(':prev' || {_quote(row_text)}, 'UTF8')), 'hex')"


def _log_insert(conn: psycopg.Connection, table: str, event_id: str, *, chained: bool) -> str:
    overrides = {
        "event_id": "gen_random_uuid()",
        "occurred_at": "now()",
        "sequence": ":seq" if chained else f"nextval('{NO_CHAIN_SEQUENCE}')",
        "previous_hash": "':prev'" if chained else _quote("0" * 64),
        "row_hash": _hash("x" * 600) if chained else _hash("x" * 600).replace(":prev", "0" * 64),
        "subject_id": "gen_random_uuid()",
    }
    return _insert(conn, table, "event_id = %s", [event_id], overrides)


_HEAD = (
    "SELECT sequence + 1 AS seq, row_hash AS prev FROM {table} "
    "ORDER BY sequence DESC LIMIT 1 \\gset"
)


def write_intake(conn: psycopg.Connection, signal_id: str, folder: Path) -> Path:
    """The insert transaction of one intake, cloned from signal `signal_id`."""
    log = access_log_table(conn)
    event_id = conn.execute(
        f"SELECT event_id::text FROM {log} WHERE object_id = %s AND action = 'create'",
        [signal_id],
    ).fetchone()[0]
    now = {"created_at": "now()", "updated_at": "now()", "due_at": "now()"}
    lines = [
        "BEGIN;",
        "SELECT gen_random_uuid() AS sid \\gset",
        _insert(
            conn,
            "signals_signal",
            "id = %s",
            [signal_id],
            {
                "id": "':sid'",
                "subject_id": "gen_random_uuid()",
                "client_uuid": "gen_random_uuid()",
                **now,
            },
        ),
        _insert(
            conn,
            "signals_signal_reasons",
            "signal_id = %s",
            [signal_id],
            {"signal_id": "':sid'"},
            skip=("id",),
        ),
        _insert(
            conn,
            "signals_consent",
            "signal_id = %s",
            [signal_id],
            {"id": "gen_random_uuid()", "signal_id": "':sid'", "recorded_at": "now()"},
        ),
        _insert(
            conn,
            "signals_signalevent",
            "signal_id = %s AND type = 'created'",
            [signal_id],
            {"signal_id": "':sid'", "created_at": "now()"},
            skip=("id",),
        ),
        f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY});",
        _HEAD.format(table=log),
        _log_insert(conn, log, event_id, chained=True).replace("'" + signal_id + "'", "':sid'"),
        "END;",
    ]
    path = folder / "pgbench-intake.sql"
    path.write_text("\n".join(lines) + "\n")
    return path


def write_chain(conn: psycopg.Connection, folder: Path) -> tuple[Path, Path]:
    """The access-log insert with the chain, and the same insert without it."""
    log = access_log_table(conn)
    conn.execute(
        f"CREATE SEQUENCE IF NOT EXISTS {NO_CHAIN_SEQUENCE} START -1 INCREMENT -1 "
        "MINVALUE -9000000000000000000 MAXVALUE -1"
    )  # below every chained sequence number, so the two never collide
    event_id = conn.execute(
        f"SELECT event_id::text FROM {log} WHERE action = 'read' ORDER BY sequence DESC LIMIT 1"
    ).fetchone()[0]
    chained = folder / "pgbench-chain.sql"
    chained.write_text(
        "\n".join(
            [
                "BEGIN;",
                f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY});",
                _HEAD.format(table=log),
                _log_insert(conn, log, event_id, chained=True),
                "END;",
            ]
        )
        + "\n"
    )
    unchained = folder / "pgbench-no-chain.sql"
    unchained.write_text(
        "\n".join(["BEGIN;", _log_insert(conn, log, event_id, chained=False), "END;"]) + "\n"
    )
    return chained, unchained
