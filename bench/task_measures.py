"""The worker measures (issue 14 items 4 and 5): signals submitted over HTTP, routed and
pushed by real Celery workers, timed by the rows they leave in the database; a no-op task on
the same worker is the baseline."""

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from celery import Celery

from bench import client, config, database
from bench.context import Run
from bench.stack import redis_client
from testbed.processes import wait_until

NOOP_LIST = "bench:noop"  # bench.server.tasks.NOOP_LIST


def _celery() -> Celery:
    app = Celery("bench-harness", broker=config.REDIS_URL)
    app.conf.task_default_queue = "default"
    return app


def _publish_noops(app: Celery, tokens: list[str], *, rate: float | None = None) -> dict:
    sent = {}
    began = time.monotonic()
    with app.connection_for_write() as conn:
        producer = app.amqp.Producer(conn)
        for i, token in enumerate(tokens):
            if rate:
                _sleep_until(began + i / rate)
            sent[token] = time.time()
            app.send_task("bench.noop", args=[token], queue="default", producer=producer)
    return sent


def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def _noop_times(tokens: set[str], timeout: float) -> dict[str, float]:
    r = redis_client()

    def collect() -> dict[str, float] | None:
        found = {}
        for item in r.lrange(NOOP_LIST, 0, -1):
            token, _, moment = item.decode().partition(" ")
            if token in tokens:
                found[token] = float(moment)
        return found if len(found) == len(tokens) else None

    return wait_until(collect, timeout=timeout, interval=0.2, what="the no-op tasks")


class Submitter:
    """POSTs intake bodies from a few threads, each with its own keep-alive session."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(max_workers=config.CONNECTIONS)
        self.counter = 0

    def _session(self) -> client.Session:
        if not hasattr(self.local, "session"):
            tokens = self.run.field_worker_tokens
            self.local.session = client.Session(
                self.run.url, tokens[hash(threading.get_ident()) % len(tokens)]
            )
        return self.local.session

    def _post(self, client_uuid: str, address: list) -> None:
        body = client.intake_body(self.run.manifest, address, client_uuid)
        response = self._session().post("/api/v1/signals", body)
        if response.status_code != 201:
            raise RuntimeError(f"intake {response.status_code}: {response.text[:300]}")

    def submit(self, count: int, *, rate: float | None = None) -> dict[str, float]:
        """Submits `count` signals (at `rate` per second, or as fast as the pool goes);
        returns client_uuid -> time.time() just before its request."""
        sent, futures = {}, []
        addresses = self.run.manifest["addresses"]
        began = time.monotonic()
        for i in range(count):
            if rate:
                _sleep_until(began + i / rate)
            self.counter += 1
            client_uuid = str(uuid.uuid4())
            sent[client_uuid] = time.time()
            futures.append(
                self.pool.submit(self._post, client_uuid, addresses[self.counter % len(addresses)])
            )
        for future in futures:
            future.result()
        return sent

    def close(self) -> None:
        self.pool.shutdown()


def _ids_of(run: Run, client_uuids: list[str]) -> list[str]:
    with database.connect(run.database) as conn:
        rows = conn.execute(
            "SELECT id::text FROM signals_signal WHERE client_uuid = ANY(%s::uuid[])",
            [client_uuids],
        ).fetchall()
    return [row[0] for row in rows]


def _routed(name: str, ids: list[str]) -> tuple[int, float, float]:
    """How many of the signals are routed, and the first and last routed_at (epoch s)."""
    with database.connect(name) as conn:
        count, first, last = conn.execute(
            """SELECT count(routed_at), extract(epoch FROM min(routed_at)),
                      extract(epoch FROM max(routed_at))
               FROM signals_signal WHERE id = ANY(%s::uuid[])""",
            [ids],
        ).fetchone()
    return count, float(first or 0), float(last or 0)


def _pushed(name: str, posted: dict[str, float]) -> dict[str, float] | None:
    """client_uuid -> when its first push was recorded as sent; None until all were."""
    with database.connect(name) as conn:
        rows = conn.execute(
            """SELECT s.client_uuid::text, extract(epoch FROM min(n.sent_at))
               FROM signals_signal s JOIN notifications_notification n ON n.object_id = s.id
               WHERE s.client_uuid = ANY(%s::uuid[]) AND n.status = 'sent'
               GROUP BY 1""",
            [list(posted)],
        ).fetchall()
    return {key: float(value) for key, value in rows} if len(rows) == len(posted) else None


def routing_rounds(run: Run) -> None:
    """Item 5: N signals wait in the queue while the default worker is stopped, N no-op tasks
    behind them; the worker starts and drains both. Rate = (N - 1) / (last - first
    completion), from routed_at in the database and the no-op times in Redis, so the worker's
    start-up is not counted."""
    app, submitter, n = _celery(), Submitter(run), run.mode.routing_signals
    try:
        for number in range(1, run.mode.rounds + 1):
            run.stack.stop("worker-default")
            ids = _ids_of(run, list(submitter.submit(n)))
            tokens = [f"route{number}-{i}" for i in range(n)]
            _publish_noops(app, tokens)
            run.stack.start_worker("default")

            wait_until(
                lambda ids=ids: _routed(run.database, ids)[0] == n,
                timeout=120 + n,
                interval=0.3,
                what="routing",
            )
            _, first, last = _routed(run.database, ids)
            noop = _noop_times(set(tokens), timeout=60)
            routing_rate = (n - 1) / max(last - first, 1e-6)
            noop_rate = (n - 1) / max(max(noop.values()) - min(noop.values()), 1e-6)
            run.add("routing", {"rate": routing_rate, "noop_rate": noop_rate, "signals": n})
            print(
                f"  routing round {number}: {routing_rate:.0f} signals/s, no-op {noop_rate:.0f}/s"
            )
    finally:
        submitter.close()


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "p99": q[98], "max": ordered[-1], "count": len(ordered)}


def latency_rounds(run: Run) -> None:
    """Item 4: at a steady 10 per second, a no-op task's publish -> run, then a signal's
    POST -> push recorded as sent (console gateway), with both workers running."""
    run.stack.start_worker("notifications")
    wait_until(
        lambda: (
            database.scalar(
                run.database,
                "SELECT count(*) FROM notifications_notification WHERE status = 'pending'",
            )
            == 0
        ),
        timeout=300,
        interval=0.5,
        what="the push backlog of the routing rounds",
    )
    app, submitter = _celery(), Submitter(run)
    count = max(10, int(run.mode.steady_seconds * config.STEADY_RATE))
    try:
        for number in range(1, run.mode.rounds + 1):
            tokens = [f"lat{number}-{i}" for i in range(count)]
            sent = _publish_noops(app, tokens, rate=config.STEADY_RATE)
            ran = _noop_times(set(tokens), timeout=60)
            noop = _percentiles([(ran[t] - sent[t]) * 1000 for t in tokens])
            posted = submitter.submit(count, rate=config.STEADY_RATE)

            found = wait_until(
                lambda posted=posted: _pushed(run.database, posted),
                timeout=90,
                interval=0.5,
                what="the pushes",
            )
            push = _percentiles([(found[c] - posted[c]) * 1000 for c in posted])
            run.add(
                "push_latency",
                {
                    **{f"push_{k}": v for k, v in push.items()},
                    **{f"noop_{k}": v for k, v in noop.items()},
                },
            )
            shown = {k: round(v) for k, v in push.items() if k.startswith("p")}
            print(f"  latency round {number}: push {shown} ms, no-op p99 {noop['p99']:.1f} ms")
    finally:
        submitter.close()
