"""The embedded demo (`make run`: SQLite, its real worker with beat on the filesystem broker,
runserver) under concurrent requests from a field worker and a team member: no 5xx, and the
worker never waits on a locked database (docs/adr/0009, 0019)."""

import os
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from testbed.processes import Proc, free_port, wait_until
from tests.faults.stack import ROOT

pytestmark = pytest.mark.faults

DEMO_PASSWORD = "demo-verbinding-2026"
FIELD_WORKER = "signaleerder@demo.buurtsignaal.nl"
TEAM_MEMBER = "teamlid@demo.buurtsignaal.nl"
POSTS, GETS, THREADS = 20, 100, 8


def _totp_code() -> str:
    from django_otp.oath import TOTP

    from accounts.demo import DEMO_TOTP_KEY_HEX

    return f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX)).token():06d}"


@pytest.fixture
def demo(tmp_path: Path):
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "PORT": str(port),
        "DEMO_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "backend.settings.demo",
        "PYTHONUNBUFFERED": "1",
    }
    proc = Proc("run-demo", [str(ROOT / "scripts" / "run-demo")], tmp_path / "demo.log", env=env,
                cwd=ROOT).start()  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: requests.get(f"{base}/healthz", timeout=2).status_code == 200,
            timeout=120,
            what=f"the demo to answer\n{proc.tail()}",
        )
        yield base, tmp_path / "var" / "worker.log"
    finally:
        proc.kill()


def _login(base: str) -> tuple[str, str]:
    worker = requests.post(
        f"{base}/api/v1/auth/login", json={"email": FIELD_WORKER, "password": DEMO_PASSWORD},
        timeout=30,
    ).json()["access"]  # fmt: skip
    challenge = requests.post(
        f"{base}/api/v1/auth/login", json={"email": TEAM_MEMBER, "password": DEMO_PASSWORD},
        timeout=30,
    ).json()  # fmt: skip
    member = requests.post(
        f"{base}/api/v1/auth/mfa/verify",
        json={"mfa_token": challenge["mfa_token"], "code": _totp_code()},
        timeout=30,
    ).json()["access"]
    return worker, member


def _signal_body(consent: dict) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "resident": {"first_name": "Proef"},
        "address": {"postcode": "3511 AB", "house_number": 3},
        "target_group": "elderly_at_home",
        "reasons": ["few_contacts"],
        "consent": {
            "given_by": "resident",
            "method": "verbal_in_person",
            "given_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
            "purposes": {"team_contact": True, "share_with_initiative": False},
            "consent_text_id": consent["id"],
            "consent_text_sha256": consent["sha256"],
        },
    }


def test_the_demo_with_its_worker_answers_concurrent_requests_without_5xx(demo):
    base, worker_log = demo
    worker_token, member_token = _login(base)
    as_worker = {"Authorization": f"Bearer {worker_token}"}
    as_member = {"Authorization": f"Bearer {member_token}"}
    texts = requests.get(f"{base}/api/v1/consent-texts", headers=as_worker, timeout=30).json()
    consent = next(t for t in texts if t["language"] == "nl")
    queue = requests.get(f"{base}/api/v1/queue", headers=as_member, timeout=30).json()
    signal_ids = [item["id"] for item in queue["results"]]
    assert signal_ids, queue

    jobs = [("post", None)] * POSTS + [
        ("queue" if n % 2 else "detail", signal_ids[n % len(signal_ids)]) for n in range(GETS)
    ]
    statuses: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def run(chunk: list[tuple[str, str | None]]) -> None:
        session = requests.Session()
        for kind, signal_id in chunk:
            if kind == "post":
                response = session.post(f"{base}/api/v1/signals", json=_signal_body(consent),
                                        headers=as_worker, timeout=60)  # fmt: skip
            elif kind == "queue":
                response = session.get(f"{base}/api/v1/queue", headers=as_member, timeout=60)
            else:
                response = session.get(f"{base}/api/v1/signals/{signal_id}", headers=as_member,
                                       timeout=60)  # fmt: skip
            with lock:
                statuses[(kind, response.status_code)] += 1
                if response.status_code >= 500:
                    title = response.text.partition("<title>")[2].partition("</title>")[0]
                    failures.append(f"{kind} {response.status_code} {' '.join(title.split())}")

    threads = [threading.Thread(target=run, args=(jobs[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert not failures, f"{dict(statuses)}: {Counter(failures)}"
    assert statuses == {("post", 201): POSTS, ("queue", 200): GETS // 2, ("detail", 200): GETS // 2}
    # The worker routed the new signals (its writes competed with the requests' writes).
    wait_until(
        lambda: worker_log.read_text().count("signals.route_signal") >= 2 * POSTS,
        timeout=60,
        what="the worker to route the new signals",
    )
    log = worker_log.read_text()
    assert "database is locked" not in log, log[-3000:]
    assert "different Context" not in log, log[-3000:]
    # The worker's heartbeat reaches /readyz through the demo's file cache.
    ready = requests.get(f"{base}/readyz", timeout=10).json()
    assert ready["status"] == "ok", ready
    assert ready["monitoring"]["workers"]["status"] == "ok", ready
