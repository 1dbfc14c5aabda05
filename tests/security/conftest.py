"""The route matrix's world (built once per module) and its size in the terminal summary."""

import json
from pathlib import Path

import pytest
from django.db import transaction

MATRIX_TESTS = "tests/security/test_route_matrix.py::test_cell"
TOTALS_FILE = Path(__file__).resolve().parents[2] / "var" / "matrix-totals.json"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built in one transaction, rolled back after the module. Database access stays unblocked
    for the module's tests: each cell runs in a savepoint of its own (`cell_savepoint`)."""
    from tests.security.world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def cell_savepoint(world):
    """Every cell starts from the same world: its writes are rolled back. Cheaper than
    pytest-django's per-test TestCase (two atomics and a constraint check per test), which
    took a third of the matrix's run time."""
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the world are not marked django_db (see cell_savepoint), so pytest-django would
    neither create the test database for them alone nor run them before the transactional
    tests, which flush the roles and seed data the migrations made. They go first, and the
    first of them carries the mark."""
    on_world = [item for item in items if "world" in getattr(item, "fixturenames", ())]
    if not on_world:
        return
    others = [item for item in items if "world" not in getattr(item, "fixturenames", ())]
    items[:] = on_world + others
    if not any(item.get_closest_marker("django_db") for item in items):
        on_world[0].add_marker(pytest.mark.django_db)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reports = [
        report
        for outcome in ("passed", "failed", "error", "skipped")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "") == "call" and report.nodeid.startswith(MATRIX_TESTS)
    ]
    if not reports:
        return
    from tests.security import matrix

    totals = matrix.totals()
    totals["passed"] = sum(r.passed for r in reports)
    totals["failed"] = sum(r.failed for r in reports)
    totals["run"] = len(reports)
    terminalreporter.write_sep("=", "route matrix")
    terminalreporter.write_line(
        f"{totals['routes']} routes, {totals['route_methods']} route-methods, "
        f"{totals['rows']} rows with their objects x {totals['callers']} callers = "
        f"{totals['cells']} cells; + {totals['probe_cells']} cells on {totals['probe_paths']} "
        f"paths that must not exist. Run: {totals['run']}, passed {totals['passed']}, "
        f"failed {totals['failed']}"
    )
    TOTALS_FILE.parent.mkdir(exist_ok=True)
    TOTALS_FILE.write_text(json.dumps(totals, indent=2) + "\n")
    terminalreporter.write_line(f"written to {TOTALS_FILE.relative_to(TOTALS_FILE.parents[1])}")
