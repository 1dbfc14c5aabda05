"""The request counters under gunicorn as deployed: three worker processes, each counting the
requests it serves, and every scrape (whichever worker answers it) showing the sum
(prometheus-client's multiprocess mode, gunicorn.conf.py; docs/adr/0045)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from tests.operations.helpers import TOKEN, parse, value
from tests.worker import ROOT, _database_url

# The server reads the test database, so the test's rows must be committed; serialized_rollback
# puts back the seeded rows (consent texts) the flush afterwards removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUESTS = "buurtsignaal_http_requests_total"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """gunicorn with 3 single-threaded workers on a free loopback port, against the test
    database and broker, with a multiprocess directory that holds a stale file from "an
    earlier run" (which would break every scrape if it were read)."""
    database_url = _database_url()  # the test database, with its tables
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"not a metrics file")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "GUNICORN_THREADS": "1",
        "HEALTH_BIND": "",
        "LOG_FORMAT": "json",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "backend.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--no-control-socket",  # not the user's shared one
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # Three workers import Django at once on a shared 2-core machine: allow for it.
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"gunicorn did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield base, metrics_dir, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_every_scrape_shows_the_requests_of_all_workers(gunicorn):
    base, metrics_dir, log = gunicorn
    assert not (metrics_dir / "counter_1.db").exists()  # emptied when the master started
    status, text = get(f"{base}/metrics", TOKEN)
    assert status == 200, log.read_text()[-3000:]
    first = parse(text)
    # Counted: requests for a path no pattern matches (404, no database). The start-up probes
    # went to /healthz; one that timed out on the client may still be counted there later.
    already = value(first, REQUESTS, route="unmatched", method="GET", status="404")
    assert value(first, REQUESTS, route="healthz", method="GET", status="200") >= 1

    sent = 60
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda n: get(f"{base}/no-such-page/{n}")[0], range(sent)))
    assert statuses == [404] * sent

    # More than one process counted (a file per process that served a request)...
    counting = list(metrics_dir.glob("counter_*.db"))
    assert len(counting) >= 2, counting
    # ...and every scrape, whichever worker answers it, shows the total.
    for _ in range(6):
        status, text = get(f"{base}/metrics", TOKEN)
        assert status == 200
        samples = parse(text)
        assert value(samples, REQUESTS, route="unmatched", method="GET", status="404") == (
            already + sent
        )
        assert ("buurtsignaal_signals_unrouted", frozenset()) in samples

    assert get(f"{base}/metrics")[0] == 401
