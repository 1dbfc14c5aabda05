"""One bench run: databases, the stack, the measures in order, the report.

Order matters on two cores: the request measures run with no Celery worker (the route tasks
they enqueue wait in Redis and are flushed afterwards), so background routing does not eat
into the request figures; the worker measures follow with the workers alone; the 1M database
is measured last, on a gunicorn of its own.
"""

import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from bench import client, config, database, machine, measures, report, task_measures, wrk
from bench.context import Run
from bench.stack import Stack, flush_redis


def _login(run: Run) -> None:
    m = run.manifest
    q = m["queue_member"]
    run.member_token = client.login(run.url, q["email"], m["password"], q["totp_key_hex"])
    run.field_worker_tokens = [client.login(run.url, e, m["password"]) for e in m["field_workers"]]


def _require_tools() -> None:
    wrk.require()
    if shutil.which("pgbench") is None:
        raise SystemExit("pgbench is not installed (Debian: postgresql-client)")


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    # `timeout` (make bench-smoke) sends SIGTERM: leave through the finally below, which stops
    # gunicorn and the workers and drops the run's databases, instead of orphaning them.
    sys.exit(128 + signum)


def main(mode: config.Mode, *, keep: bool = False) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    _require_tools()
    config.RUN_DIR.mkdir(parents=True, exist_ok=True)
    for old in config.RUN_DIR.glob("*"):
        if old.is_file():
            old.unlink()
    began = time.monotonic()
    description = machine.describe()
    load = description["load_average_at_start"]
    print(f"bench {mode.name}: {description['nproc']} cores, load average {load}")
    small, big = config.DB_PREFIX, f"{config.DB_PREFIX}_1m"
    data: dict[str, Any] = {}
    stacks: list[Stack] = []
    flush_redis()
    try:
        if mode.big:
            template, built = database.ensure_template(config.BIG)
            data["template"] = {"name": template, "built_now_s": round(built)}
        load_s = database.build(small, mode.size)
        stack = Stack(small, "small")
        stacks.append(stack)
        stack.start_web()
        run = Run(mode=mode, stack=stack, database=small, manifest=database.manifest(small))
        data["10k"] = {"counts": run.manifest["counts"], "load_s": round(load_s, 1)}
        _login(run)
        print(f"[{time.monotonic() - began:4.0f} s] " + "queue page, 10k signals")
        measures.queue_latency(run, "10k")
        print(f"[{time.monotonic() - began:4.0f} s] " + "request measures (no worker running)")
        spec = measures.warm_up(run)
        measures.count_queries(run)
        measures.request_rounds(run, spec)
        flush_redis()  # the route tasks of the intake rounds: the worker measures start clean
        print(f"[{time.monotonic() - began:4.0f} s] " + "routing throughput (default worker alone)")
        task_measures.routing_rounds(run)
        print(
            f"[{time.monotonic() - began:4.0f} s] "
            + "submit -> push latency at 10/s (both workers)"
        )
        task_measures.latency_rounds(run)
        stack.sample_memory()
        stack.stop_all()
        if mode.big:
            seconds = database.clone(template, big)
            data["1m"] = {"counts": database.manifest(big)["counts"], "clone_s": round(seconds, 1)}
            big_stack = Stack(big, "big")
            stacks.append(big_stack)
            big_stack.start_web()
            run.stack, run.database, run.manifest = big_stack, big, database.manifest(big)
            _login(run)
            print(f"[{time.monotonic() - began:4.0f} s] " + "queue page, 1M signals")
            measures.queue_latency(run, "1m")
            big_stack.sample_memory()
            big_stack.stop_all()
    finally:
        for stack in stacks:
            stack.stop_all()
        if not keep:
            database.drop(small)
            database.drop(big)
            flush_redis()
    peaks: dict[str, int] = {}
    for stack in stacks:
        for kind, kib in stack.peaks.items():
            peaks[kind] = max(peaks.get(kind, 0), kib)
    description["load_average_at_end"] = Path("/proc/loadavg").read_text().split()[:3]
    result = {
        "mode": mode.name,
        "publish": mode.publish,
        "rounds": mode.rounds,
        "duration_s": time.monotonic() - began,
        "machine": description,
        "data": data,
        "notes": run.notes,
        "queries_per_request": run.queries,
        "settings": {
            "connections": config.CONNECTIONS,
            "gunicorn_workers": config.GUNICORN_WORKERS,
            "seconds_per_measure": mode.seconds,
            "routing_signals": mode.routing_signals,
            "steady_rate": config.STEADY_RATE,
            "steady_seconds": mode.steady_seconds,
        },
    }
    report.write(result, dict(run.samples), peaks)
    print(f"bench {mode.name} done in {result['duration_s']:.0f} s")
    return 0
