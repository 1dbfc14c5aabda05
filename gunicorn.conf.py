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

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))


def post_worker_init(worker: object) -> None:
    """The health probes on HEALTH_BIND, beside the request threads (backend/health_listener)."""
    bind = os.environ.get("HEALTH_BIND", "")
    if bind:
        from backend.health_listener import health_listener_start

        health_listener_start(bind)
