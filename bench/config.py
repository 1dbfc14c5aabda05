"""What a bench run measures and for how long, and where it keeps its databases."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
RUN_DIR = ROOT / "var" / "bench"

# The harness's own databases on the shared server: created and dropped per run, except the
# cached 1M template (see database.template_name).
ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
DB_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "buurtsignaal_bench")
# Its own Redis database number (cache, throttle counters and broker alike); FLUSHDB'd per run.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
# Bench data is synthetic; the cached 1M database is encrypted under this fixed key, so it must
# not change between runs. Not a secret of any deployment.
FIELD_KEY = "YmVuY2gtb25seS1ub3Qtc2VjcmV0LWtleS0zMmJ5dGU="

CONNECTIONS = 8  # the fixed concurrency of the throughput measures (issue 14)
GUNICORN_WORKERS = 3  # as docker-compose.yml
DEFAULT_WORKER_CONCURRENCY = 2  # as docker-compose.yml's worker
NOTIFICATIONS_WORKER_CONCURRENCY = 2  # compose has 4; 2 on a 2-core machine
SMALL = 10_000
BIG = 1_000_000
STEADY_RATE = 10.0  # signals (or no-op tasks) per second for the latency measure


@dataclass(frozen=True)
class Mode:
    name: str
    rounds: int
    seconds: float  # each throughput measure per round
    warmup: float
    queue_seconds: float  # queue page latency per round
    routing_signals: int  # signals (and no-op tasks) per routing throughput round
    steady_seconds: float  # latency measure per round (each of no-op and push)
    big: bool  # also the 1M database
    size: int = SMALL  # signals in the small database
    publish: bool = True  # write bench/results/{latest,<mode>}; else only var/bench/<mode>


QUICK = Mode(
    "quick",
    rounds=3,
    seconds=1,
    warmup=1,
    queue_seconds=1,
    routing_signals=40,
    steady_seconds=2,
    big=False,
)
FULL = Mode(
    "full",
    rounds=3,
    seconds=10,
    warmup=2,
    queue_seconds=8,
    routing_signals=400,
    steady_seconds=20,
    big=True,
)
# CI (make bench-smoke): the harness builds a database, starts gunicorn and both workers and
# measures one short round of everything, so a change that breaks the harness fails CI. Its
# figures are not comparable and are kept under var/bench only.
SMOKE = Mode(
    "smoke",
    rounds=1,
    seconds=2,  # at 1 s a loaded machine's first requests did not finish: 0 requests, an error
    warmup=2,
    queue_seconds=1,
    routing_signals=10,
    steady_seconds=1,
    big=False,
    size=1_000,
    publish=False,
)
MODES = {mode.name: mode for mode in (QUICK, FULL, SMOKE)}
