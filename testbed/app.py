"""The production-shaped application as the bench and the fault harness start it: the
environment every process gets (as docker-compose.yml sets it) and the command lines of
gunicorn and a Celery worker. Each caller adds what it measures or breaks: the bench its
settings module and no beat, the fault harness production settings, the health listener, beat
and a fake FCM."""

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import requests

from testbed.processes import wait_until

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# Inherited from the starting process only as far as a process needs to start.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SSL_CERT_FILE")


def app_env(
    *,
    settings_module: str,
    secret_key: str,
    field_keys: str,
    database_url: str,
    redis_url: str,
    **extra: str,
) -> dict[str, str]:
    """The environment of a web or worker process: nothing inherited but `INHERITED`, the
    database and Redis of the run, loopback hosts, JSON logs, tokens that outlive a run and a
    login throttle no driver reaches; `extra` adds or overrides."""
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_SECRET_KEY": secret_key,
            "FIELD_ENCRYPTION_KEYS": field_keys,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "LOG_FORMAT": "json",
            "JWT_ACCESS_MINUTES": "120",  # longer than a run: no refresh in the middle
            "LOGIN_THROTTLE_RATE": "1000/min",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def gunicorn_argv(
    *, port: int, workers: int, timeout: int, access_log: str, extra: Sequence[str] = ()
) -> list[str]:
    """gunicorn serving backend.wsgi on 127.0.0.1:`port` (gunicorn.conf.py is read from the
    working directory, ROOT)."""
    return [
        str(BIN / "gunicorn"), "backend.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--timeout", str(timeout),
        "--access-logfile", access_log,
        *extra,
    ]  # fmt: skip


def celery_worker_argv(
    *, queues: str, name: str, concurrency: int, extra: Sequence[str] = ()
) -> list[str]:
    """A `celery worker` for `queues` under the node name `name` (its log says "<name> ready"
    once it consumes)."""
    return [
        str(BIN / "celery"), "-A", "backend", "worker",
        "-Q", queues,
        "--concurrency", str(concurrency),
        "-n", name,
        "--loglevel", "INFO",
        *extra,
    ]  # fmt: skip


def wait_healthy(base_url: str, *, timeout: float, log_tail: str = "") -> None:
    """Waits until gunicorn answers /healthz with 200."""
    wait_until(
        lambda: requests.get(f"{base_url}/healthz", timeout=2).status_code == 200,
        timeout=timeout,
        what=f"gunicorn to answer /healthz\n{log_tail}",
    )
