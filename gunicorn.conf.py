"""gunicorn's settings wherever the web tier runs: gunicorn reads ./gunicorn.conf.py from its
working directory, so the image (Dockerfile), docker-compose.yml, the fault harness
(tests/faults/stack.py) and the load harness (bench/stack.py) all get them; their command lines
add the address and the number of workers.

Threaded workers (docs/adr/0036): a request waiting on the database holds one thread, not the
whole worker, so /healthz and /readyz still find a thread while requests are blocked, and the
worker's main thread keeps telling the arbiter it lives (a sync worker blocked for `timeout`
is killed, and its clients get a closed connection instead of the JSON 503).
"""

import os
from pathlib import Path

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))


def post_worker_init(worker: object) -> None:
    """The health probes on HEALTH_BIND, beside the request threads (backend/health_listener)."""
    bind = os.environ.get("HEALTH_BIND", "")
    if bind:
        from backend.health_listener import health_listener_start

        health_listener_start(bind)


def _metrics_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    return Path(value) if value else None


def on_starting(server: object) -> None:
    """The metrics' multiprocess directory starts empty (docs/adr/0045): files of an earlier
    run would add their counts to this one's."""
    directory = _metrics_dir()
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()


def child_exit(server: object, worker: object) -> None:
    """A worker that exits keeps its counters (they only grow) but its live gauges go."""
    if _metrics_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
