"""The production-shaped application under test: gunicorn with backend.settings.production (and
gunicorn.conf.py, read from the working directory: threaded workers, the health listener),
Celery workers (prefork, whose pool children can be killed, or solo) and beat, all configured
through environment variables as in docker-compose.yml, against the harness's own PostgreSQL
and Redis, pushing through the real firebase-admin client to the local fake FCM.
"""

import secrets
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

from testbed.app import BIN, ROOT, app_env, celery_worker_argv, gunicorn_argv, wait_healthy
from testbed.processes import Proc, children_of, free_port, stop_all, wait_until
from tests.notifications.fcm_server import LocalGoogle


@dataclass(frozen=True)
class WorkerSpec:
    """One `celery worker` process: its queues, pool and concurrency."""

    name: str
    queues: str
    pool: str = "prefork"
    concurrency: int = 2


DEFAULT_WORKERS = (
    WorkerSpec("default", "default", "prefork", 2),
    WorkerSpec("notifications", "notifications", "prefork", 2),
)


@dataclass
class AppStack:
    folder: Path
    database_url: str
    redis_url: str
    google: LocalGoogle | None = None
    settings: dict[str, str] = field(default_factory=dict)
    workers: Iterable[WorkerSpec] = DEFAULT_WORKERS
    beat: bool = True
    web_workers: int = 2
    port: int = field(default_factory=free_port)
    # The web workers' own listener for the probes (backend/health_listener.py).
    health_port: int = field(default_factory=free_port)
    procs: dict[str, Proc] = field(default_factory=dict)
    worker_restarts: int = 0

    def __post_init__(self) -> None:
        self.workers = tuple(self.workers)
        self._secret = secrets.token_urlsafe(48)
        self._fernet = Fernet.generate_key().decode()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.health_port}"

    def env(self, **extra: str) -> dict[str, str]:
        env = app_env(
            settings_module="backend.settings.production",
            secret_key=self._secret,
            field_keys=self._fernet,
            database_url=self.database_url,
            redis_url=self.redis_url,
            # Deploy checks do not run here; the harness reads no e-mail.
            EMAIL_URL="consolemail://",
            DEFAULT_FROM_EMAIL="Buurtsignaal <noreply@localhost>",
            # The load driver submits about two signals a second per field worker.
            SIGNAL_CREATE_THROTTLE_RATE="100000/hour",
            HEALTH_BIND=f"127.0.0.1:{self.health_port}",
        )
        if self.google is not None:
            env.update(
                {
                    "PUSH_GATEWAY": "fcm",
                    "FIREBASE_CREDENTIALS_FILE": str(self.google.credentials_file),
                    "HTTPS_PROXY": self.google.proxy_url,
                    "REQUESTS_CA_BUNDLE": str(self.google.ca_file),
                }
            )
        else:
            env["PUSH_GATEWAY"] = "console"
        env.update(self.settings)
        env.update(extra)
        return env

    # -- processes ------------------------------------------------------------------------------

    def _web(self) -> Proc:
        argv = gunicorn_argv(
            port=self.port,
            workers=self.web_workers,
            timeout=30,
            access_log="-",
            extra=["--graceful-timeout", "5"],
        )
        return Proc("web", argv, self.folder / "web.log", env=self.env(), cwd=ROOT)

    def _worker(self, spec: WorkerSpec) -> Proc:
        argv = celery_worker_argv(
            queues=spec.queues,
            name=f"{spec.name}@faults",
            concurrency=spec.concurrency,
            extra=["--pool", spec.pool],
        )
        heartbeat = self.folder / f"{spec.name}.heartbeat"
        return Proc(
            f"worker-{spec.name}",
            argv,
            self.folder / f"worker-{spec.name}.log",
            env=self.env(WORKER_HEARTBEAT_FILE=str(heartbeat)),
            cwd=ROOT,
        )

    def _beat(self) -> Proc:
        argv = [
            str(BIN / "celery"), "-A", "backend", "beat",
            "-s", str(self.folder / "celerybeat-schedule"),
            "--loglevel", "INFO",
        ]  # fmt: skip
        return Proc("beat", argv, self.folder / "beat.log", env=self.env(), cwd=ROOT)

    def start(self) -> "AppStack":
        self.procs["web"] = self._web().start()
        for spec in self.workers:
            self.procs[f"worker-{spec.name}"] = self._worker(spec).start()
        if self.beat:
            self.procs["beat"] = self._beat().start()
        try:
            self.wait_ready()
        except Exception:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        wait_healthy(self.base_url, timeout=timeout, log_tail=self.procs["web"].tail())
        for spec in self.workers:
            self.wait_worker_ready(spec.name, timeout=timeout)
        if self.beat:
            wait_until(
                lambda: "beat: Starting" in self.procs["beat"].text(),
                timeout=timeout,
                what="beat to start",
            )

    def wait_worker_ready(self, name: str, *, timeout: float = 60, after: int = 0) -> None:
        proc = self.procs[f"worker-{name}"]
        wait_until(
            lambda: f"{name}@faults ready" in proc.text()[after:],
            timeout=timeout,
            what=f"worker {name} to be ready\n{proc.tail()}",
        )

    def worker(self, name: str) -> Proc:
        return self.procs[f"worker-{name}"]

    def spec(self, name: str) -> WorkerSpec:
        return next(spec for spec in self.workers if spec.name == name)

    def pool_children(self, name: str) -> list[int]:
        """Pids of a prefork worker's pool processes."""
        return children_of(self.worker(name).pid)

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker and its pool children, as when its container dies."""
        self.worker(name).kill()

    def restart_worker(self, name: str, *, wait: bool = True) -> None:
        """What a supervisor (compose `restart: unless-stopped`) does after the worker died."""
        proc = self.worker(name)
        proc.stop()
        offset = len(proc.text())
        self.procs[f"worker-{name}"] = fresh = self._worker(self.spec(name))
        fresh.start()
        self.worker_restarts += 1
        if wait:
            self.wait_worker_ready(name, after=offset)

    def stop(self) -> None:
        """Ends every process at once: nothing of the run is kept but the logs."""
        for proc in self.procs.values():
            proc.signal_group(signal.SIGKILL)
        stop_all(list(self.procs.values()))

    def tails(self, chars: int = 1500) -> str:
        return "\n".join(proc.tail(chars) for proc in self.procs.values())

    def log_text(self) -> str:
        return "\n".join(proc.text() for proc in self.procs.values())
