"""Bench: the production settings plus only what `make bench` measures against (docs/adr/0021).

The harness (bench/) runs gunicorn and the Celery workers with this module. It adds:
- the baseline routes (`/bench/bare`, a bare JWT-authenticated DRF view) through a
  ROOT_URLCONF that wraps backend.urls;
- a no-op Celery task (`bench.noop`) for the task round trip and throughput baselines;
- a query counter that answers only a request carrying `X-Bench-Count-Queries: 1`, so the
  timed requests run the production middleware stack unchanged.
Everything else, secrets included, comes from the environment exactly as in production.
"""

from backend.settings.production import *  # noqa: F403
from backend.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.server.urls"
CELERY_IMPORTS = ["bench.server.tasks"]
MIDDLEWARE = ["bench.server.middleware.QueryCountMiddleware", *MIDDLEWARE]
