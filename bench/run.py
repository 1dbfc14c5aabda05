"""Benchmark harness: cost of intake, routing and the queue, each as a ratio against a baseline
measured in the same run on the same machine, so the figures travel between machines.

    make bench                       # or: .venv/bin/python bench/run.py [--rounds N]

It creates its own PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/buurtsignaal_bench), migrates it, seeds teams and signals,
times each scenario in-process through Django's test client (no network, no server), and
writes bench/results.json. A scenario over its target ratio makes the run exit 1.
"""

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/buurtsignaal_bench"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings.test"
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
warnings.filterwarnings("ignore", message="No directory at")


@dataclass
class Result:
    name: str
    baseline: str
    median_ms: float
    baseline_median_ms: float
    ratio: float
    target: float
    peak_kib: float | None = None
    ok: bool = True


def timed(func: Callable[[], object], *, rounds: int, warmup: int = 3) -> float:
    """Median wall time of `func` in milliseconds over `rounds` calls after a warm-up."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def peak_memory_kib(func: Callable[[], object]) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def recreate_database() -> None:
    import environ
    import psycopg

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench import scenarios

    results = [scenario(args.rounds) for scenario in scenarios.ALL]
    width = max(len(r.name) for r in results)
    print(f"{'scenario':<{width}}  {'ms':>8}  {'baseline':>8}  {'ratio':>6}  target  peak KiB")
    for r in results:
        peak = f"{r.peak_kib:8.0f}" if r.peak_kib is not None else "       -"
        flag = "" if r.ok else "  OVER TARGET"
        print(
            f"{r.name:<{width}}  {r.median_ms:8.2f}  {r.baseline_median_ms:8.2f}  "
            f"{r.ratio:6.2f}  {r.target:6.1f}  {peak}{flag}"
        )
    Path(args.output).write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
