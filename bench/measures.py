"""The request measures (issue 14 items 1, 2, 3, 6, 7): wrk against gunicorn and pgbench
against the same database, round after round, each round measuring its own baselines."""

import json
import sys
import time
from urllib.parse import urlsplit

from bench import client, config, database, pgbench_scripts, wrk
from bench.context import Run
from testbed.processes import run as run_command

QUEUE_PATH = "/api/v1/queue?page_size=50"


def _check(name: str, result: dict[str, float]) -> dict[str, float]:
    if result["errors"] or result["requests"] == 0:
        raise RuntimeError(f"{name}: {result['errors']} errors in {result['requests']} requests")
    return result


def _data(run: Run) -> dict[str, object]:
    """wrk data files, written once per run."""
    m = run.manifest
    body = wrk.body_template(client.intake_body(m, m["addresses"][0]))
    details = [f"/api/v1/signals/{sid}" for sid in m["detail_signal_ids"]]
    return {
        "bare_get": (
            wrk.write_data("bare-get", tokens=[run.member_token], paths=["/bench/bare"]),
            "get.lua",
        ),
        "me": (wrk.write_data("me", tokens=[run.member_token], paths=["/api/v1/me"]), "get.lua"),
        "detail": (wrk.write_data("detail", tokens=[run.member_token], paths=details), "get.lua"),
        "bare_post": ("/bench/bare", body),
        "intake": ("/api/v1/signals", body),
    }


def _post_data(run: Run, name: str, path: str, body: str) -> object:
    return wrk.write_data(
        name,
        tokens=run.field_worker_tokens,
        path=path,
        body=body,
        prefix=wrk.prefix(),
        addresses=run.manifest["addresses"],
    )


def _http(run: Run, spec: dict, name: str, seconds: float) -> dict[str, float]:
    entry = spec[name]
    if name in ("bare_post", "intake"):
        path, body = entry
        data, script = _post_data(run, name, path, body), "post.lua"
    else:
        data, script = entry
    return _check(name, wrk.run(script, run.url + "/", data, seconds=seconds))


def _signals(run: Run) -> int:
    return database.scalar(run.database, "SELECT count(*) FROM signals_signal")


def count_queries(run: Run) -> None:
    """SQL statements of one request of each measured path (the bench settings' counter)."""
    ask = {"X-Bench-Count-Queries": "1"}
    member = client.Session(run.url, run.member_token)
    signal_id = run.manifest["detail_signal_ids"][0]
    for name, path in (
        ("bare GET", "/bench/bare"),
        ("GET /me", "/api/v1/me"),
        ("GET /signals/{id}", f"/api/v1/signals/{signal_id}"),
        ("GET /queue (50 rows)", QUEUE_PATH),
    ):
        answer = member.get(path, **ask)
        answer.raise_for_status()
        run.queries[name] = int(answer.headers["X-Bench-Queries"])
    field_worker = client.Session(run.url, run.field_worker_tokens[0])
    field_worker.http.headers.update(ask)
    body = client.intake_body(run.manifest, run.manifest["addresses"][0])
    for name, path in (("bare POST", "/bench/bare"), ("POST /signals", "/api/v1/signals")):
        answer = field_worker.post(path, body)
        answer.raise_for_status()
        run.queries[name] = int(answer.headers["X-Bench-Queries"])
    print(f"  SQL statements per request: {run.queries}")


def warm_up(run: Run) -> dict:
    """One short run of every endpoint (worker processes import lazily, caches fill), then
    the pgbench scripts from rows the application wrote just now."""
    spec = _data(run)
    for name in spec:
        _http(run, spec, name, run.mode.warmup)
    folder = config.RUN_DIR
    with database.connect(run.database) as conn:
        signal_id = conn.execute(
            "SELECT id::text FROM signals_signal ORDER BY created_at DESC LIMIT 1"
        ).fetchone()[0]
        spec["pg_intake"] = pgbench_scripts.write_intake(conn, signal_id, folder)
        spec["pg_log"] = pgbench_scripts.write_log(conn, folder)
    seal(run)  # the warm-up's rows: each round's sealer starts from that round's rows only
    return spec


# One sealer, as the beat task runs it (audit.sealing, docs/adr/0025), timed inside the process
# so Django's start-up is not counted.
_SEAL = (
    "import json, time; from audit.sealing import access_log_seal; "
    "began = time.monotonic(); result = access_log_seal(wait=True); "
    "print(json.dumps({'rows': result.sealed, 'seconds': time.monotonic() - began}))"
)


def seal(run: Run) -> dict[str, float]:
    """Item 7: seals every row the round left unsealed; rows sealed per second."""
    out = run_command(
        [sys.executable, "manage.py", "shell", "-c", _SEAL],
        env=database.django_env(run.database),
        cwd=config.ROOT,
        timeout=600,
    )
    result = json.loads(out.strip().splitlines()[-1])
    result["rate"] = result["rows"] / result["seconds"] if result["seconds"] else 0.0
    return result


def request_rounds(run: Run, spec: dict) -> None:
    """Items 1, 2, 3 and 7, every round measuring its baselines next to the measure."""
    seconds = run.mode.seconds
    for number in range(1, run.mode.rounds + 1):
        began = time.monotonic()
        figures = {}
        for name in ("bare_get", "me", "detail", "bare_post"):
            figures[name] = _http(run, spec, name, seconds)
        before = _signals(run)
        figures["intake"] = intake = _http(run, spec, "intake", seconds)
        created = _signals(run) - before
        # Requests still in flight when wrk stops may commit after it counted: up to one per
        # connection. Anything else means a 2xx without its row, or rows without a response.
        if not intake["requests"] <= created <= intake["requests"] + config.CONNECTIONS:
            raise RuntimeError(f"intake: wrk counted {intake['requests']}, database {created}")
        intake["rows"] = created
        for name in ("pg_intake", "pg_log"):
            figures[name] = database.pgbench(
                run.database, spec[name], clients=config.CONNECTIONS, seconds=seconds
            )
        figures["seal"] = seal(run)
        for name, result in figures.items():
            run.add(name, result)
        rps = {k: round(v.get("rps", v.get("tps", v.get("rate", 0)))) for k, v in figures.items()}
        print(f"  round {number}: {rps} ({time.monotonic() - began:.0f} s)")


def _warm_every_worker(run: Run, path: str) -> None:
    """A gunicorn worker's first request reads the permission names once (accounts.backends,
    docs/adr/0029): one statement more than every later page. Statements are counted per page
    in the steady state, so every worker serves a request first, each on a new connection
    (wrk's keep-alive connection would warm only one)."""
    for _ in range(6 * config.GUNICORN_WORKERS):
        client.Session(run.url, run.member_token).get(path).raise_for_status()


def queue_latency(run: Run, size_label: str) -> None:
    """Item 6: p95 of the first queue page (50 rows) for a member of the busiest team, one
    connection (latency, not saturation), and the SQL statements the page costs."""
    session = client.Session(run.url, run.member_token)
    _warm_every_worker(run, QUEUE_PATH)
    counted = session.get(QUEUE_PATH, **{"X-Bench-Count-Queries": "1"})
    counted.raise_for_status()
    rows = len(counted.json()["results"])
    queries = int(counted.headers["X-Bench-Queries"])
    following = counted.json().get("next")
    queries_next = None
    if following:
        parts = urlsplit(following)
        answer = session.get(f"{parts.path}?{parts.query}", **{"X-Bench-Count-Queries": "1"})
        queries_next = int(answer.headers["X-Bench-Queries"])
    data = wrk.write_data(f"queue-{size_label}", tokens=[run.member_token], paths=[QUEUE_PATH])
    wrk.run("get.lua", run.url + "/", data, seconds=run.mode.warmup, connections=1)
    for _ in range(run.mode.rounds):
        result = _check(
            "queue",
            wrk.run("get.lua", run.url + "/", data, seconds=run.mode.queue_seconds, connections=1),
        )
        result.update(rows=rows, queries=queries, queries_next_page=queries_next or queries)
        run.add(f"queue_{size_label}", result)
    p95 = [round(s["p95_ms"], 1) for s in run.samples[f"queue_{size_label}"]]
    print(f"  queue page at {size_label}: p95 {p95} ms, {rows} rows, {queries} queries")
