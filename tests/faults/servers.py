"""Private Redis and PostgreSQL servers on free loopback ports, started and killed by the harness.

PostgreSQL: `initdb` refuses to run as root, so as root the cluster runs as the operating-system
user named by FAULTS_PG_USER (default `postgres`, which the Debian package creates; .ci/run makes
sure it exists) through `runuser`. As any other user it runs as that user. The cluster lives in
its own temporary directory (data and socket), never near the machine's shared server.
"""

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from testbed.processes import Proc, children_of, free_port, run, wait_until


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL server binaries on this machine (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError("no initdb found: install the postgresql package (see .ci/run)")


# A Redis that `RedisServer.fill` can fill: refuses writes at the limit instead of evicting.
FILLABLE = ["--maxmemory", "16mb", "--maxmemory-policy", "noeviction"]


class RedisServer:
    """`redis-server` in the foreground on a free port, no persistence unless asked for."""

    def __init__(self, folder: Path, *, options: list[str] | None = None) -> None:
        self.folder = folder
        self.port = free_port()
        self.options = options or []
        self.proc: Proc | None = None
        self.restarts = 0
        self._maxmemory = "0"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **kwargs: object) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5, **kwargs)

    def start(self) -> "RedisServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.folder),
            *self.options,
        ]  # fmt: skip
        self.proc = Proc(f"redis:{self.port}", argv, self.folder / "redis.log").start()
        wait_until(lambda: self.client().ping(), timeout=10, what=f"redis on {self.port}")
        return self

    def kill(self) -> None:
        """SIGKILL: whatever was queued and not persisted is gone."""
        assert self.proc is not None
        self.proc.kill()

    def restart(self) -> None:
        """Starts again on the same port (after `kill`)."""
        self.restarts += 1
        self.start()

    def fill(self) -> None:
        """Fills it as data would (maxmemory with noeviction must be set): writes to database 1
        until Redis refuses, then lowers the limit below what is used, so that the small writes
        freed buffers would let through are refused as well."""
        client = self.client(db=1)
        self._maxmemory = client.config_get("maxmemory")["maxmemory"]
        for count in itertools.count():
            try:
                client.set(f"filler:{count}", b"x" * 65536)
            except redis.exceptions.OutOfMemoryError:
                break
        client.config_set("maxmemory", client.info("memory")["used_memory"] // 2)

    def free(self) -> None:
        """Undoes `fill`."""
        client = self.client(db=1)
        client.config_set("maxmemory", self._maxmemory)
        client.flushdb()

    def freeze(self) -> None:
        assert self.proc is not None
        self.proc.freeze()

    def thaw(self) -> None:
        assert self.proc is not None
        self.proc.thaw()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()


class PostgresCluster:
    """A throw-away PostgreSQL cluster. `template` is migrated and seeded once; each scenario
    gets a copy (`CREATE DATABASE ... TEMPLATE`), so scenarios never see each other's rows."""

    def __init__(self) -> None:
        self.bin = postgres_bin_dir()
        self.user = None if os.geteuid() != 0 else os.environ.get("FAULTS_PG_USER", "postgres")
        self.root = Path(tempfile.mkdtemp(prefix="bs-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self.restarts = 0
        if self.user:
            try:
                account = pwd.getpwnam(self.user)
            except KeyError as exc:
                raise RuntimeError(
                    f"running as root, the private PostgreSQL runs as {self.user!r}, which does "
                    "not exist: create it (.ci/run does) or set FAULTS_PG_USER"
                ) from exc
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def _as_owner(self, argv: list[str]) -> list[str]:
        return ["runuser", "-u", self.user, "--", *argv] if self.user else argv

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", **kwargs: object) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=dbname,
            connect_timeout=3,
            **kwargs,
        )

    def init(self) -> "PostgresCluster":
        run(
            self._as_owner(
                [
                    str(self.bin / "initdb"),
                    "-D", str(self.data),
                    "-U", "postgres",
                    "--auth=trust",
                    "-E", "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            )
        )  # fmt: skip
        return self

    def start(self) -> None:
        # fsync off: a killed server process loses nothing the kernel already has, and the
        # machine itself does not crash in these tests.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
        )
        run(
            self._as_owner(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                 "-o", options, "-w", "-t", "60", "start"]
            )
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        run(
            self._as_owner(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60",
                 "stop"]
            )
        )  # fmt: skip

    def restart(self, mode: str = "fast", down_seconds: float = 0.0) -> float:
        """Stops with `mode` (fast: clients disconnected, checkpoint; immediate: as a crash,
        recovery from WAL on start), stays down for `down_seconds`, starts. Returns how long
        the database refused connections."""
        began = time.monotonic()
        self.stop(mode)
        time.sleep(down_seconds)
        self.start()
        self.restarts += 1
        return time.monotonic() - began

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def _signal_all(self, signum: int) -> None:
        leader = self.postmaster_pid()
        for pid in [leader, *children_of(leader)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def freeze(self) -> None:
        """SIGSTOP the postmaster and every backend: connections stay open, nothing answers."""
        self._signal_all(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal_all(signal.SIGCONT)

    def create_database(self, name: str, *, template: str | None = None) -> None:
        with self.connect(autocommit=True) as conn:
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{clause}')

    def drop_database(self, name: str) -> None:
        with self.connect(autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.thaw()
        with contextlib.suppress(Exception):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def stop_quietly(*servers: object) -> None:
    for server in servers:
        with contextlib.suppress(Exception):
            server.stop()  # type: ignore[attr-defined]
