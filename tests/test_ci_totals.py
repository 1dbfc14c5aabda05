"""scripts/ci-totals prints the matrix, fuzz, fault and figures totals at the end of .ci/run, and
fails when a totals file is missing or a figure that must be 0 is not."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ci-totals"
MATRIX = {
    **{"routes": 186, "route_methods": 286, "rows": 326, "objects": 9, "callers": 16},
    **{"cells": 5216, "probe_paths": 17, "probe_cells": 432, "all_cells": 5648},
    **{"run": 5648, "passed": 5648, "failed": 0},
}
FUZZ = {"operations": 35, "callers": 6, "cases": 2429, "responses_5xx": 0, "failures": 0}
FUZZ["seed"] = 20260817
SCENARIO = {"scenario": "broker_down", "push_duplicates": 2, "push_duplicate_bound": 6}
FAULTS = {
    "totals": {
        **{"scenarios": 1, "faults_injected": 2, "signals": 80, "accepted": 80},
        **{"lost": 0, "doubled": 0, "stuck": 0, "push_duplicates": 2},
        "push_duplicates_uncollapsed": 0,
    },
    "scenarios": [SCENARIO],
}


FIGURES = {
    **{"views": 144, "cells": 708, "hidden": 15, "determined_exactly": 0},
    **{"narrowed_below_threshold": 0, "inconsistent": 0, "means_given_away": 0},
    "times_under_threshold": 0,
}


def run(var: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(var)], capture_output=True, text=True, check=False
    )


def write(var: Path, **files: dict) -> None:
    for name, body in files.items():
        (var / f"{name}-totals.json").write_text(json.dumps(body))


def test_it_prints_the_three_totals(tmp_path):
    write(tmp_path, matrix=MATRIX, fuzz=FUZZ, fault=FAULTS, figures=FIGURES)
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "186 routes" in result.stdout and "16 callers = 5216 cells" in result.stdout
    assert "2429 cases, 0 responses 5xx, 0 failures" in result.stdout
    assert "2 faults injected, 80 signals, 0 lost, 0 doubled, 0 stuck" in result.stdout
    assert "2 push duplicates (0 uncollapsed)" in result.stdout
    assert "0 scenarios over their bound" in result.stdout
    assert (
        "figures attacker: 144 views, 708 cells, 15 hidden, 0 determined exactly, "
        "0 narrowed below the threshold" in result.stdout
    )


def test_missing_figures_totals_or_a_narrowed_figure_fails(tmp_path):
    write(tmp_path, matrix=MATRIX, fuzz=FUZZ, fault=FAULTS)
    result = run(tmp_path)
    assert result.returncode == 1 and "figures-totals.json is missing" in result.stderr
    for bad in ({"determined_exactly": 1}, {"narrowed_below_threshold": 2}):
        write(tmp_path, matrix=MATRIX, fuzz=FUZZ, fault=FAULTS, figures={**FIGURES, **bad})
        assert run(tmp_path).returncode == 1, bad


def test_a_missing_totals_file_fails(tmp_path):
    write(tmp_path, matrix=MATRIX, fuzz=FUZZ, figures=FIGURES)
    result = run(tmp_path)
    assert result.returncode == 1
    assert "fault-totals.json is missing" in result.stderr


def test_a_failed_cell_a_5xx_or_a_lost_signal_fails(tmp_path):
    lost = {**FAULTS, "totals": {**FAULTS["totals"], "lost": 1}}
    uncollapsed = {**FAULTS, "totals": {**FAULTS["totals"], "push_duplicates_uncollapsed": 1}}
    for files in (
        {"matrix": {**MATRIX, "failed": 1, "passed": 5647}, "fuzz": FUZZ, "fault": FAULTS},
        {"matrix": {**MATRIX, "run": 17}, "fuzz": FUZZ, "fault": FAULTS},
        {"matrix": MATRIX, "fuzz": {**FUZZ, "responses_5xx": 1}, "fault": FAULTS},
        {"matrix": MATRIX, "fuzz": FUZZ, "fault": lost},
        {"matrix": MATRIX, "fuzz": FUZZ, "fault": uncollapsed},
    ):
        write(tmp_path, figures=FIGURES, **files)
        assert run(tmp_path).returncode == 1, files
