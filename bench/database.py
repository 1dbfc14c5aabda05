"""The harness's databases: created from nothing (10k) or copied from a cached template (1M).

The 1M template is named after a fingerprint of the migrations and of the data set code, so a
schema change or a new loader builds a new one (and drops the old); otherwise every run copies
it with CREATE DATABASE ... TEMPLATE (seconds, where loading takes minutes).
"""

import ast
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import config
from testbed.processes import run


def url_for(name: str) -> str:
    parts = urlsplit(config.ADMIN_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def admin() -> Iterator[psycopg.Connection]:
    with psycopg.connect(config.ADMIN_URL, autocommit=True) as conn:
        yield conn


@contextmanager
def connect(name: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(url_for(name), autocommit=True) as conn:
        yield conn


def drop(name: str) -> None:
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def exists(name: str) -> bool:
    with admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def databases_like(prefix: str) -> list[str]:
    with admin() as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]
        ).fetchall()
    return [row[0] for row in rows]


def clone(template: str, name: str) -> float:
    """Copies `template` to `name`; returns seconds taken. FILE_COPY copies the files at once
    instead of writing the whole database through the WAL (PostgreSQL 15's default)."""
    drop(name)
    began = time.monotonic()
    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return time.monotonic() - began


def fingerprint() -> str:
    """Of the migrations and the data set code, as syntax trees: reformatting or a comment
    keeps the cached template, any change of code or schema builds a new one."""
    digest = hashlib.sha256()
    files = sorted(config.ROOT.glob("*/migrations/*.py")) + sorted(
        (config.ROOT / "bench" / "dataset").glob("*.py")
    )
    for path in files:
        digest.update(str(path.relative_to(config.ROOT)).encode())
        digest.update(ast.dump(ast.parse(path.read_text())).encode())
    return digest.hexdigest()[:10]


def template_name(size: int) -> str:
    return f"{config.DB_PREFIX}_tpl_{size}_{fingerprint()}"


def django_env(database: str, **extra: str) -> dict[str, str]:
    from bench.stack import app_env

    return app_env(database_url=url_for(database), **extra)


def build(name: str, size: int, *, vacuum: bool = False, log: Path | None = None) -> float:
    """A new database `name`: migrated, then the data set of `size` signals. Returns seconds."""
    began = time.monotonic()
    drop(name)
    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = django_env(name)
    argv = [sys.executable, "manage.py", "migrate", "--no-input", "-v0"]
    run(argv, env=env, cwd=config.ROOT, timeout=600)
    argv = [sys.executable, "-m", "bench.dataset", "--size", str(size)]
    if vacuum:
        argv.append("--vacuum")
    # The progress bar goes to the terminal; output is kept for failures.
    done = subprocess.run(
        argv, env=env, cwd=config.ROOT, check=False, stdout=subprocess.PIPE, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"loading {size} signals failed:\n{done.stdout[-3000:]}")
    print("  " + done.stdout.strip().splitlines()[-1])
    return time.monotonic() - began


def ensure_template(size: int) -> tuple[str, float]:
    """The cached template of `size` signals, built when missing. Returns (name, seconds spent
    building, 0 when cached). Stale templates of the same size are dropped."""
    name = template_name(size)
    for stale in databases_like(f"{config.DB_PREFIX}_tpl_{size}_"):
        if stale != name:
            print(f"  dropping stale template {stale}")
            drop(stale)
    if exists(name):
        return name, 0.0
    building = f"{config.DB_PREFIX}_building_{size}"
    print(f"  building the {size:,}-signal template {name} once (minutes; cached afterwards)")
    seconds = build(building, size, vacuum=True)
    with admin() as conn:
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name, seconds


def manifest(name: str) -> dict[str, Any]:
    with connect(name) as conn:
        return conn.execute("SELECT manifest FROM bench_manifest").fetchone()[0]


def scalar(name: str, sql: str, params: Any = None) -> Any:
    with connect(name) as conn:
        row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


def server_versions() -> dict[str, str]:
    with admin() as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {"postgresql": pg}


def pretty(value: Any) -> str:
    return json.dumps(value, indent=2, default=str)


def pgbench(name: str, script: Path, *, clients: int, seconds: float) -> dict[str, float]:
    """Runs pgbench with a custom script; returns transactions per second and latency."""
    url = urlsplit(url_for(name))
    argv = [
        "pgbench",
        "-n",
        "-f",
        str(script),
        "-c",
        str(clients),
        "-j",
        "2",
        "-T",
        str(max(1, round(seconds))),
        "-M",
        "simple",
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        name,
    ]
    out = run(argv, timeout=seconds + 120)
    tps = latency = failed = 0.0
    for line in out.splitlines():
        if line.startswith("tps = "):
            tps = float(line.split()[2])
        elif line.startswith("latency average = "):
            latency = float(line.split()[3])
        elif line.startswith("number of failed transactions:"):
            failed = float(line.split(":")[1].split()[0])
    if failed:
        raise RuntimeError(f"pgbench {script.name}: {failed:.0f} failed transactions\n{out}")
    return {"tps": tps, "latency_ms": latency}
