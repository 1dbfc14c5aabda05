"""One fault scenario: a fresh database copy, a fresh Redis, a fresh application stack, the load
driver, and the verdict it ends with (recorded for the run's totals)."""

import contextlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.faults import totals
from tests.faults.load import Load, Submitter
from tests.faults.provider import FaultyGoogle
from tests.faults.servers import PostgresCluster, RedisServer
from tests.faults.stack import DEFAULT_WORKERS, AppStack, WorkerSpec
from tests.faults.verdict import Observer, Verdict, judge

SCALE = float(os.environ.get("FAULTS_SCALE", "1"))
RATE = float(os.environ.get("FAULTS_RATE", "8"))

# The outbox sweepers. CI runs them every 5 s with a 10 s routing grace and 15 s push staleness,
# so their catch-up fits its time budget; FAULTS_SWEEPERS=production (`make faults`) keeps the
# production settings (30 s, 60 s, 90 s). Recovery bounds are derived from whichever runs.
if os.environ.get("FAULTS_SWEEPERS", "fast") == "production":
    SWEEPS: dict[str, str] = {}
    GRACE, CADENCE, STALE = 60, 30, 90
else:
    GRACE, CADENCE, STALE = 10, 5, 15
    SWEEPS = {
        "SWEEPER_INTERVAL_SECONDS": str(CADENCE),
        "ROUTING_GRACE_SECONDS": str(GRACE),
        "PUSH_REQUEUE_STALE_SECONDS": str(STALE),
    }
# What waited for a sweeper (a task never published, or published while its queue was gone)
# runs within this long: the longer wait plus one sweep, and a margin for the run itself.
SWEPT_WITHIN = max(GRACE, STALE) + CADENCE + 15


def scaled(seconds: float) -> float:
    """A traffic or fault duration, stretched for the long runs (`make faults`)."""
    return seconds * SCALE


@dataclass
class Scenario:
    name: str
    dbname: str
    cluster: PostgresCluster
    template: str
    google: FaultyGoogle
    consent: dict[str, Any]
    folder: Path
    redis: RedisServer | None = None
    stack: AppStack | None = None
    submitter: Submitter | None = None
    verdict: Verdict = field(init=False)
    _observer: Observer | None = None

    def __post_init__(self) -> None:
        self.verdict = Verdict(scenario=self.name)

    def start(
        self,
        *,
        redis_options: Iterable[str] = (),
        settings: dict[str, str] | None = None,
        workers: Iterable[WorkerSpec] = DEFAULT_WORKERS,
        beat: bool = True,
        fcm: bool = True,
    ) -> "Scenario":
        self.cluster.drop_database(self.dbname)
        self.cluster.create_database(self.dbname, template=self.template)
        self.redis = RedisServer(self.folder / "redis", options=list(redis_options)).start()
        self.stack = AppStack(
            folder=self.folder / "app",
            database_url=self.cluster.url(self.dbname),
            redis_url=self.redis.url,
            google=self.google.local if fcm else None,  # type: ignore[attr-defined]
            settings=settings or {},
            workers=workers,
            beat=beat,
        ).start()
        self.submitter = Submitter(self.stack.base_url, self.consent)
        self.submitter.login_all()
        return self

    @property
    def observer(self) -> Observer:
        if self._observer is None:
            self._observer = Observer(self.cluster, self.dbname)
        return self._observer

    def load(self, *, rate: float = RATE, threads: int = 4) -> Load:
        assert self.submitter is not None, "start() the scenario first"
        return Load(self.submitter, rate=rate, threads=threads)

    def fault(self, count: int = 1) -> None:
        self.verdict.faults_injected += count

    def get(self, path: str, timeout: float = 10) -> requests.Response:
        assert self.stack is not None
        return requests.get(f"{self.stack.base_url}{path}", timeout=timeout)

    def probe(self, path: str, timeout: float = 10) -> requests.Response:
        """A health probe on the web workers' health listener (HEALTH_BIND)."""
        assert self.stack is not None
        return requests.get(f"{self.stack.health_url}{path}", timeout=timeout)

    def settle(self, load: Load, *, timeout: float) -> float | None:
        """Waits until every accepted signal is routed and no push is pending."""
        return self.observer.wait_settled(load.accepted_uuids(), timeout=timeout)

    def finish(
        self,
        load: Load,
        *,
        recovery: float | None,
        duplicate_bound: int | None = None,
        **notes: Any,
    ) -> Verdict:
        """Judges the run, records it for the totals and returns the verdict."""
        judge(
            self.verdict,
            load=load,
            observer=self.observer,
            duplicates=(
                self.google.duplicates(),
                self.google.uncollapsed(),
                self.google.most_copies(),
            ),
            recovery=recovery,
        )
        self.verdict.push_duplicate_bound = duplicate_bound
        self.verdict.notes.update(notes)
        totals.record(self.verdict)
        return self.verdict

    def assert_nothing_lost_doubled_or_stuck(self, never_accepted: list[str]) -> None:
        """The verdict's three zeros, and every submission accepted in the end."""
        report = self.report()
        assert not never_accepted, f"{len(never_accepted)} submissions never accepted\n{report}"
        assert self.verdict.lost == 0, report
        assert self.verdict.doubled == 0, report
        assert self.verdict.stuck == 0, report

    def assert_push_duplicates_within(self, bound: int) -> None:
        """The push-duplicate bound (docs/reliability.md): no more repeats than pushes were
        exposed, each push at most once more per fault, and every repeat collapses with the
        first copy on the phone."""
        v, report = self.verdict, self.report()
        assert v.push_duplicates <= bound, report
        assert v.push_most_copies <= 1 + v.faults_injected, report
        assert v.push_duplicates_uncollapsed == 0, report

    def report(self) -> str:
        """For assertion messages: the verdict and the tails of every log."""
        logs = self.stack.tails() if self.stack else ""
        return f"{self.verdict.summary()}\n{logs}"

    def close(self) -> None:
        if self.stack is not None:
            self.stack.stop()
        if self.redis is not None:
            with contextlib.suppress(Exception):
                self.redis.thaw()
            self.redis.stop()
        with contextlib.suppress(Exception):
            self.cluster.thaw()
        # Leave the cluster running for the next scenario, without this one's database.
        for _ in range(3):
            try:
                self.cluster.drop_database(self.dbname)
                break
            except Exception:
                time.sleep(1)
