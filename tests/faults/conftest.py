"""Fixtures of the fault harness (docs/reliability.md): one private PostgreSQL cluster per run
with a migrated, seeded template database, one fake FCM, and per scenario a fresh database copy,
a fresh Redis and a fresh application stack.

Sizes: FAULTS_SCALE multiplies traffic and fault durations (1 in CI, `make faults` uses 6);
FAULTS_RATE is the steady signal rate per second (default 8).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults import totals
from tests.faults.provider import FaultyGoogle
from tests.faults.scenario import Scenario
from tests.faults.servers import PostgresCluster
from tests.notifications import fcm_server

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "faults_template"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster().init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def seeded(pg_cluster: PostgresCluster) -> dict:
    """Migrates and seeds the template database once (backend.settings.test, as tests do)."""
    pg_cluster.create_database(TEMPLATE)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": pg_cluster.url(TEMPLATE),
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [python, "-m", "tests.faults.seed"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def google() -> Iterator[FaultyGoogle]:
    folder = Path(tempfile.mkdtemp(prefix="bs-faults-google-"))
    fake = FaultyGoogle()
    local = fcm_server.start(folder, fake)
    fake.local = local  # type: ignore[attr-defined]
    try:
        yield fake
    finally:
        local.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def scenario(
    request: pytest.FixtureRequest,
    pg_cluster: PostgresCluster,
    seeded: dict,
    google: FaultyGoogle,
    tmp_path: Path,
) -> Iterator[Scenario]:
    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:50]
    google.reset()
    scene = Scenario(
        name=request.node.name,
        dbname=f"faults_{name}",
        cluster=pg_cluster,
        template=TEMPLATE,
        google=google,
        consent=seeded,
        folder=tmp_path,
    )
    try:
        yield scene
    finally:
        scene.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not totals.VERDICTS:
        return
    path = totals.write()
    terminalreporter.section("fault totals")
    for line in totals.lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"written to {path.relative_to(ROOT)}")
