"""The production-shaped application under measure: gunicorn (3 sync workers, as
docker-compose.yml) and Celery workers for the default and notifications queues, all with
backend.settings.bench, on a free loopback port, against the harness's own database and Redis
database. No beat: its sweepers would add work of their own in the middle of a measure."""

import secrets
from dataclasses import dataclass, field

import redis

from bench import config
from testbed.app import app_env as testbed_env
from testbed.app import celery_worker_argv, gunicorn_argv, wait_healthy
from testbed.processes import Proc, children_of, free_port, memory_kib, wait_until

_SECRET = secrets.token_urlsafe(48)  # one per harness run: tokens die with the run


def app_env(*, database_url: str, **extra: str) -> dict[str, str]:
    return testbed_env(
        settings_module="backend.settings.bench",
        secret_key=_SECRET,
        field_keys=config.FIELD_KEY,
        database_url=database_url,
        redis_url=config.REDIS_URL,
        PUSH_GATEWAY="console",
        # Production requires both (docs/adr/0028); nothing in a measure sends e-mail, and
        # a bench run must never reach a real relay.
        EMAIL_URL="dummymail://",
        DEFAULT_FROM_EMAIL="Buurtsignaal bench <noreply@localhost>",
        LOG_LEVEL="INFO",
        # The throttle still runs on every intake (its Redis round trip is part of the
        # cost); the rate is set so the load generator never reaches it.
        SIGNAL_CREATE_THROTTLE_RATE="100000000/hour",
        **extra,
    )


@dataclass
class Stack:
    database: str
    label: str
    port: int = field(default_factory=free_port)
    procs: dict[str, Proc] = field(default_factory=dict)
    peaks: dict[str, int] = field(default_factory=dict)  # process kind -> peak VmHWM (KiB)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        from bench.database import url_for

        return app_env(database_url=url_for(self.database))

    def start_web(self) -> None:
        argv = gunicorn_argv(
            port=self.port,
            workers=config.GUNICORN_WORKERS,
            timeout=60,
            access_log=str(config.RUN_DIR / f"{self.label}-access.log"),
        )
        log = config.RUN_DIR / f"{self.label}-web.log"
        self.procs["web"] = proc = Proc("web", argv, log, env=self.env(), cwd=config.ROOT).start()
        wait_healthy(self.base_url, timeout=60, log_tail=proc.tail())
        wait_until(
            lambda: len(children_of(proc.pid)) == config.GUNICORN_WORKERS,
            timeout=30,
            what="all gunicorn workers",
        )

    def start_worker(self, queue: str) -> None:
        concurrency = (
            config.DEFAULT_WORKER_CONCURRENCY
            if queue == "default"
            else config.NOTIFICATIONS_WORKER_CONCURRENCY
        )
        name = f"{queue}@bench"
        argv = celery_worker_argv(
            queues=queue,
            name=name,
            concurrency=concurrency,
            extra=["--without-gossip", "--without-mingle"],
        )
        log = config.RUN_DIR / f"{self.label}-worker-{queue}.log"
        offset = log.stat().st_size if log.exists() else 0
        proc = Proc(f"worker-{queue}", argv, log, env=self.env(), cwd=config.ROOT).start()
        self.procs[f"worker-{queue}"] = proc
        wait_until(
            lambda: f"{name} ready" in proc.text()[offset:],
            timeout=60,
            what=f"worker {queue} to be ready\n{proc.tail()}",
        )

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is not None:
            self.sample_memory(only=name, proc=proc)
            proc.stop(timeout=15)  # a warm shutdown of Celery

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    def sample_memory(self, *, only: str | None = None, proc: Proc | None = None) -> None:
        """Keeps the peak resident memory (VmHWM) per kind of process: gunicorn workers
        (children of the master), Celery pool processes and Celery main processes."""
        items = [(only, proc)] if only and proc else list(self.procs.items())
        for name, p in items:
            if p is None or not p.alive():
                continue
            if name == "web":
                kinds = {"gunicorn_worker": children_of(p.pid)}
            else:
                kinds = {"celery_main": [p.pid], "celery_pool": children_of(p.pid)}
            for kind, pids in kinds.items():
                for pid in pids:
                    peak = memory_kib(pid).get("VmHWM", 0)
                    self.peaks[kind] = max(self.peaks.get(kind, 0), peak)

    def web_pids(self) -> list[int]:
        return children_of(self.procs["web"].pid)


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(config.REDIS_URL)


def flush_redis() -> None:
    """Empties the harness's own Redis database (never the others)."""
    redis_client().flushdb()
