"""A small load driver on loopback: threads submit signals with unique client_uuids, as field
workers' phones do, and every answer is recorded (status, error code, shape, latency).

A submission that got no 2xx is retried later with the same client_uuid and body, as the app
does: the retry must return the stored signal (200) or store it now (201), never a second one.
"""

import itertools
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.faults.population import FIELD_WORKERS, PASSWORD, field_worker_email

SIGNALS_PATH = "/api/v1/signals"
ERROR_KEYS = {"code", "message", "details"}


@dataclass(frozen=True)
class Answer:
    client_uuid: str
    attempt: int
    status: int | None  # None: no HTTP answer (refused, reset, client timeout)
    code: str | None  # the error shape's code, or None
    is_json: bool
    error_shape: bool  # JSON with exactly code, message and details
    retry_after: str | None
    latency: float
    at: float  # time.monotonic() when sent
    failure: str = ""  # exception name when there was no HTTP answer

    @property
    def accepted(self) -> bool:
        return self.status in (200, 201)

    @property
    def label(self) -> str:
        if self.status is None:
            return f"no answer ({self.failure})"
        if self.accepted:
            return str(self.status)
        kind = "json" if self.error_shape else ("json, other shape" if self.is_json else "html")
        return f"{self.status} {self.code or ''} ({kind})".replace("  ", " ")


@dataclass
class Submitter:
    """Logs the field workers in through the real login API and submits bodies."""

    base_url: str
    consent: dict[str, Any]
    field_workers: int = FIELD_WORKERS
    client_timeout: float = 40.0  # longer than gunicorn's 30 s, so its verdict is seen
    tokens: list[str] = field(default_factory=list)
    _bodies: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _local: threading.local = field(default_factory=threading.local)

    def login_all(self) -> None:
        for number in range(self.field_workers):
            response = requests.post(
                f"{self.base_url}/api/v1/auth/login",
                json={"email": field_worker_email(number), "password": PASSWORD},
                timeout=15,
            )
            response.raise_for_status()
            self.tokens.append(response.json()["access"])

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def new_body(self, number: int) -> str:
        client_uuid = str(uuid.uuid4())
        body = {
            "client_uuid": client_uuid,
            "resident": {"first_name": "Proef", "phone": "+31 6 00000000"},
            # Not in any mapping table: routing sends it to the central team.
            "address": {"postcode": "9999 ZZ", "house_number": 1 + number % 500},
            "preferred_language": "nl",
            "target_group": "elderly_at_home",
            "reasons": ["few_contacts"],
            "observation": "",
            "urgency": "normal",
            "consent": {
                "given_by": "resident",
                "method": "verbal_in_person",
                "given_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
                "purposes": {"team_contact": True, "share_with_initiative": False},
                **self.consent,
            },
        }
        self._bodies[client_uuid] = (number % len(self.tokens), body)
        return client_uuid

    def submit(self, client_uuid: str, attempt: int) -> Answer:
        signaller, body = self._bodies[client_uuid]
        started = time.monotonic()
        try:
            response = self._session().post(
                f"{self.base_url}{SIGNALS_PATH}",
                json=body,
                headers={"Authorization": f"Bearer {self.tokens[signaller]}"},
                timeout=(5, self.client_timeout),
            )
        except requests.RequestException as exc:
            self._local.session = None  # a broken keep-alive connection is not reused
            return Answer(
                client_uuid, attempt, None, None, False, False, None,
                time.monotonic() - started, started, type(exc).__name__,
            )  # fmt: skip
        latency = time.monotonic() - started
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        data: Any = None
        if is_json:
            try:
                data = response.json()
            except ValueError:
                is_json = False
        error_shape = isinstance(data, dict) and set(data) == ERROR_KEYS
        return Answer(
            client_uuid,
            attempt,
            response.status_code,
            data.get("code") if error_shape else None,
            is_json,
            error_shape,
            response.headers.get("Retry-After"),
            latency,
            started,
        )


@dataclass
class Load:
    """Steady traffic from `threads` threads at about `rate` new signals per second in total."""

    submitter: Submitter
    rate: float = 8.0
    threads: int = 4
    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _numbers: itertools.count = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _record(self, answer: Answer) -> None:
        with self._lock:
            self.answers.append(answer)

    def _run(self) -> None:
        interval = self.threads / self.rate
        while not self._stop.is_set():
            began = time.monotonic()
            with self._lock:
                number = next(self._numbers)
            self._record(self.submitter.submit(self.submitter.new_body(number), 1))
            self._stop.wait(max(0.0, interval - (time.monotonic() - began)))

    def start(self) -> "Load":
        for index in range(self.threads):
            thread = threading.Thread(target=self._run, name=f"load-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def submit_batch(self, count: int) -> list[Answer]:
        """`count` new signals at once, from all threads (outside the steady traffic)."""
        with self._lock:
            numbers = [next(self._numbers) for _ in range(count)]
        uuids = [self.submitter.new_body(number) for number in numbers]
        results: list[Answer] = []
        lock = threading.Lock()

        def send(chunk: list[str]) -> None:
            for client_uuid in chunk:
                answer = self.submitter.submit(client_uuid, 1)
                with lock:
                    results.append(answer)

        workers = [
            threading.Thread(target=send, args=(uuids[i :: self.threads],), daemon=True)
            for i in range(self.threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        for answer in results:
            self._record(answer)
        return results

    # -- after the fault ------------------------------------------------------------------------

    def last_answers(self) -> dict[str, Answer]:
        last: dict[str, Answer] = {}
        for answer in sorted(self.answers, key=lambda a: (a.at, a.attempt)):
            previous = last.get(answer.client_uuid)
            if previous is None or not previous.accepted:  # once accepted, it stays accepted
                last[answer.client_uuid] = answer
        return last

    def retry_unaccepted(self, *, attempts: int = 5, pause: float = 1.0) -> list[str]:
        """Resubmits every client_uuid without a 2xx until it gets one; returns those that
        never did."""
        for attempt in range(2, attempts + 2):
            pending = [u for u, a in self.last_answers().items() if not a.accepted]
            if not pending:
                return []
            for client_uuid in pending:
                self._record(self.submitter.submit(client_uuid, attempt))
            time.sleep(pause)
        return [u for u, a in self.last_answers().items() if not a.accepted]

    def accepted_uuids(self) -> set[str]:
        return {a.client_uuid for a in self.answers if a.accepted}

    def submitted_uuids(self) -> set[str]:
        return {a.client_uuid for a in self.answers}

    def tally(self) -> Counter:
        return Counter(answer.label for answer in self.answers)
