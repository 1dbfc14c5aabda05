"""Fuzzing set-up: the schema as the app serves it, the WSGI app in-process, one seeded world
per module (each test rolls back to it), and the totals at the end of the run: printed in
pytest's terminal summary and written to var/fuzz-totals.json (docs/adr/0017)."""

import json
import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import signals
from django.db import close_old_connections, transaction

from tests.fuzz.runner import Outcome
from tests.fuzz.world import World, seed_world

# Bounded for `make test` and CI; `make fuzz` raises them (docs/adr/0017).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
COVERAGE = int(os.environ.get("FUZZ_COVERAGE", "6"))
SEED = int(os.environ.get("FUZZ_SEED", "20260817"))
TOTALS_FILE = settings.BASE_DIR / "var" / "fuzz-totals.json"

OUTCOMES: list[Outcome] = []


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    """Seeded once per module inside a transaction that is rolled back at the end; each test's
    own transaction is a savepoint on top, so every test starts from the same world."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield seed_world()
        transaction.set_rollback(True)


@pytest.fixture
def in_process_app() -> Iterator[None]:
    """Django closes the connection at the end of each request, which would end the test's
    transaction; its own test client does the same as this."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def totals() -> dict[str, object]:
    return {
        "operations": len({outcome.operation for outcome in OUTCOMES}),
        "callers": len({outcome.role for outcome in OUTCOMES}),
        "runs": len(OUTCOMES),
        "cases": sum(outcome.cases for outcome in OUTCOMES),
        "responses_5xx": sum(outcome.server_errors for outcome in OUTCOMES),
        "failures": sum(len(outcome.failures) for outcome in OUTCOMES),
        "examples_per_mode": EXAMPLES,
        "coverage_cases_max": COVERAGE,
        "seed": SEED,
    }


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not OUTCOMES:
        return
    result = totals()
    statuses: dict[int, int] = {}
    for outcome in OUTCOMES:
        for status, count in outcome.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    result["statuses"] = {str(status): statuses[status] for status in sorted(statuses)}
    TOTALS_FILE.parent.mkdir(parents=True, exist_ok=True)
    TOTALS_FILE.write_text(json.dumps(result, indent=2) + "\n")
    terminalreporter.write_sep("=", "fuzz totals (schemathesis)")
    terminalreporter.write_line(
        f"fuzz: {result['operations']} operations x {result['callers']} callers, "
        f"{result['cases']} cases, {result['responses_5xx']} responses 5xx, "
        f"{result['failures']} failures (seed {SEED}, {EXAMPLES} examples per mode, "
        f"coverage <= {COVERAGE})"
    )
    terminalreporter.write_line(f"fuzz: statuses {result['statuses']}; written to {TOTALS_FILE}")
