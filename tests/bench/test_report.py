"""The bench report's arithmetic: ratios per round against the same round's baseline, the
verdict against the issue's targets, and the profile summary's categories."""

import json

from bench import profile, report


def test_verdicts_follow_the_target_direction():
    assert report.verdict(0.51, ">= 0.5") == "PASS"
    assert report.verdict(0.49, ">= 0.5") == "MISS"
    assert report.verdict(240.0, "<= 250 MB") == "PASS"
    assert report.verdict(260.0, "<= 250 MB") == "MISS"
    assert report.verdict(3.0, "report") == "report"
    assert report.verdict(None, ">= 0.5") == "not measured"


def test_each_round_is_divided_by_its_own_baseline():
    samples = {
        "intake": [{"rps": 100.0}, {"rps": 60.0}, {"rps": 80.0}],
        "bare_post": [{"rps": 200.0}, {"rps": 100.0}, {"rps": 400.0}],
        "bare_get": [],
        "me": [],
        "detail": [],
        "pg_intake": [{"tps": 1000.0}] * 3,
    }
    intake = report.figures(samples, {})[0]
    assert intake.ratios == [0.5, 0.6, 0.2]
    assert intake.spread == {"min": 0.2, "median": 0.5, "max": 0.6}
    assert intake.verdict == "PASS"


def test_the_queue_figure_misses_when_the_query_count_grows():
    small = [{"p95_ms": 10.0, "queries": 9, "queries_next_page": 9}] * 3
    big = [{"p95_ms": 12.0, "queries": 10, "queries_next_page": 10}] * 3
    queue = next(
        f for f in report.figures({"queue_10k": small, "queue_1m": big}, {}) if f.number == "6"
    )
    assert queue.spread["median"] == 1.2
    assert queue.verdict == "MISS (queries differ)"


def test_the_profile_summary_counts_only_samples_inside_a_request(tmp_path):
    frames = [
        {"name": "run", "file": "/x/site-packages/gunicorn/arbiter.py", "line": 1},
        {"name": "__call__", "file": "/x/site-packages/django/core/handlers/wsgi.py", "line": 2},
        {
            "name": "perform_authentication",
            "file": "/x/site-packages/rest_framework/views.py",
            "line": 3,
        },
        {"name": "wait", "file": "/x/site-packages/psycopg/connection.py", "line": 4},
        {"name": "access_log_record", "file": "/app/privacy/services.py", "line": 5},
    ]
    doc = {
        "shared": {"frames": frames},
        "profiles": [
            {"samples": [[0], [0, 1, 2, 3], [0, 1, 4, 3], [0, 1, 4]], "weights": [5, 1, 1, 2]}
        ],
    }
    path = tmp_path / "intake.speedscope.json"
    path.write_text(json.dumps(doc))
    wall, python, _, _ = profile.analyse(path)
    auth, log = (
        next(c for c, _ in profile.CATEGORIES if c.startswith(p)) for p in ("auth", "access")
    )

    def share(counter, label):
        return round(100 * counter[label] / counter[profile.TOTAL])

    assert (wall[profile.TOTAL], python[profile.TOTAL]) == (4, 2)  # the first sample is outside
    assert (share(wall, auth), share(python, auth)) == (25, 0)
    assert (share(wall, log), share(python, log)) == (75, 100)
    assert (share(wall, profile.WAITING), share(python, profile.WAITING)) == (50, 0)
    summary = profile.summarise(path)
    assert "4.0 s of samples inside requests, 50 % of them running Python" in summary
