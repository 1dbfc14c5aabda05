"""pgbench scripts written from rows the application itself wrote in this run.

The intake script repeats, in one transaction, the inserts of one intake: the signal, its
reason, its consent, its `created` event and its access-log row, with the column values of a
real intake (ciphertexts included) and fresh ids. The access-log row is written as a request
writes it since docs/adr/0025: unsealed (no sequence, no hashes) and without the chain lock;
the sealer chains it afterwards (measured by bench.measures.seal, item 7). The log script
writes only that row, the request path's share of the access log.

Tables are found by their columns, so the access log may move to another app. pgbench runs in
simple query mode (as Django's client-side binding does); `:name` is its variable syntax.
"""

from pathlib import Path

import psycopg


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


def _log_insert(conn: psycopg.Connection, table: str, event_id: str) -> str:
    """An unsealed row: the chain columns stay NULL until the sealer numbers and hashes it."""
    overrides = {
        "event_id": "gen_random_uuid()",
        "occurred_at": "now()",
        "sequence": "NULL",
        "previous_hash": "NULL",
        "row_hash": "NULL",
        "subject_id": "gen_random_uuid()",
    }
    return _insert(conn, table, "event_id = %s", [event_id], overrides)


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
        _log_insert(conn, log, event_id).replace("'" + signal_id + "'", "':sid'"),
        "END;",
    ]
    path = folder / "pgbench-intake.sql"
    path.write_text("\n".join(lines) + "\n")
    return path


def write_log(conn: psycopg.Connection, folder: Path) -> Path:
    """The access-log insert of a logged read, as the request path writes it (unsealed)."""
    log = access_log_table(conn)
    event_id = conn.execute(
        f"SELECT event_id::text FROM {log} WHERE action = 'read' ORDER BY occurred_at DESC LIMIT 1"
    ).fetchone()[0]
    path = folder / "pgbench-access-log.sql"
    path.write_text("\n".join(["BEGIN;", _log_insert(conn, log, event_id), "END;"]) + "\n")
    return path
