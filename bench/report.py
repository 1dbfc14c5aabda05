"""Figures of a run: each a ratio against its baseline from the same run, with its spread over
rounds, the target of issue 14 and a verdict; absolute numbers alongside, as indicative only.
Written as bench/results/latest.json and latest.md (and <mode>.json/.md)."""

import json
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import config

MB = 1024  # KiB per MiB


@dataclass
class Figure:
    number: str
    measure: str
    baseline: str
    ratios: list[float]  # one per round
    target: str  # e.g. ">= 0.5", "report"
    absolute: str  # indicative, medians
    verdict: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def spread(self) -> dict[str, float] | None:
        if not self.ratios:
            return None
        return {
            "min": min(self.ratios),
            "median": statistics.median(self.ratios),
            "max": max(self.ratios),
        }


def verdict(value: float | None, target: str) -> str:
    """PASS or MISS for ">= x" / "<= x" targets on the median; "report" otherwise."""
    if value is None:
        return "not measured"
    op, _, rest = target.partition(" ")
    number = rest.split(" ")[0] if rest else ""
    if op == ">=":
        return "PASS" if value >= float(number) else "MISS"
    if op == "<=":
        return "PASS" if value <= float(number) else "MISS"
    return "report"


def _per_round(
    samples: dict,
    key: str,
    base: str,
    pick: Callable[[dict], float],
    pick_base: Callable[[dict], float] | None = None,
) -> list[float]:
    pick_base = pick_base or pick
    return [
        pick(a) / pick_base(b)
        for a, b in zip(samples.get(key, []), samples.get(base, []), strict=False)
        if pick_base(b)
    ]


def _median(samples: dict, key: str, field_: str) -> float | None:
    values = [s[field_] for s in samples.get(key, []) if s.get(field_) is not None]
    return statistics.median(values) if values else None


def _fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def figures(samples: dict, peaks: dict[str, int]) -> list[Figure]:
    rps = lambda s: s["rps"]  # noqa: E731
    tps = lambda s: s["tps"]  # noqa: E731
    med = lambda key, f="rps": _median(samples, key, f)  # noqa: E731
    out = []
    out.append(
        Figure(
            "1",
            "intake POST /api/v1/signals, req/s at 8 connections",
            "bare JWT view, POST of the same body",
            _per_round(samples, "intake", "bare_post", rps),
            ">= 0.5",
            f"{_fmt(med('intake'))} vs {_fmt(med('bare_post'))} req/s",
        )
    )
    out.append(
        Figure(
            "2",
            "the same intake",
            "pgbench: its insert transaction, 8 clients",
            _per_round(samples, "intake", "pg_intake", rps, tps),
            "report",
            f"{_fmt(med('intake'))} req/s vs {_fmt(med('pg_intake', 'tps'))} tps",
        )
    )
    out.append(
        Figure(
            "3a",
            "GET /api/v1/me, req/s at 8 connections",
            "bare JWT view, GET",
            _per_round(samples, "me", "bare_get", rps),
            ">= 0.7",
            f"{_fmt(med('me'))} vs {_fmt(med('bare_get'))} req/s",
        )
    )
    out.append(
        Figure(
            "3b",
            "GET /api/v1/signals/{id} (access-logged), req/s at 8 connections",
            "bare JWT view, GET",
            _per_round(samples, "detail", "bare_get", rps),
            ">= 0.5",
            f"{_fmt(med('detail'))} vs {_fmt(med('bare_get'))} req/s",
        )
    )
    lat = samples.get("push_latency", [])
    p99 = [s["push_p99"] for s in lat]
    out.append(
        Figure(
            "4",
            "submit -> push recorded (console gateway) at 10 signals/s, p99",
            "no-op task round trip p99, same workers",
            [s["push_p99"] / s["noop_p99"] for s in lat if s["noop_p99"]],
            "report",
            "push p50/p95/p99 "
            + "/".join(
                _fmt(_median(samples, "push_latency", f"push_{p}")) for p in ("p50", "p95", "p99")
            )
            + " ms; no-op "
            + "/".join(
                _fmt(_median(samples, "push_latency", f"noop_{p}"), digits=1)
                for p in ("p50", "p95", "p99")
            )
            + " ms",
            extra={
                "p99_ms": p99,
                "p99_target": "<= 1000 ms (indicative)",
                "p99_verdict": verdict(statistics.median(p99) if p99 else None, "<= 1000"),
            },
        )
    )
    routing = samples.get("routing", [])
    out.append(
        Figure(
            "5",
            "routing throughput of one worker (signals routed/s)",
            "no-op task throughput, same worker",
            [s["rate"] / s["noop_rate"] for s in routing],
            ">= 0.2",
            f"{_fmt(_median(samples, 'routing', 'rate'))} vs "
            f"{_fmt(_median(samples, 'routing', 'noop_rate'))} per s",
        )
    )
    small, big = samples.get("queue_10k", []), samples.get("queue_1m", [])
    queries = sorted(
        {s["queries"] for s in small + big} | {s["queries_next_page"] for s in small + big}
    )
    out.append(
        Figure(
            "6",
            "team queue page (50 rows) p95 at 1M signals",
            "itself at 10k signals",
            [b["p95_ms"] / s["p95_ms"] for s, b in zip(small, big, strict=False)],
            "<= 1.5",
            f"p95 {_fmt(_median(samples, 'queue_10k', 'p95_ms'), ' ms', 1)} at 10k, "
            f"{_fmt(_median(samples, 'queue_1m', 'p95_ms'), ' ms', 1)} at 1M; SQL per page "
            f"{'/'.join(map(str, queries)) or '-'}",
            extra={"queries_per_page": queries, "queries_constant": len(queries) == 1},
        )
    )
    rate = lambda s: s["rate"]  # noqa: E731
    sealing = _per_round(samples, "seal", "pg_log", rate, tps)
    # One log row per intake: at target 1 intake writes 0.5 x the bare POST rate rows/s.
    need = _per_round(samples, "seal", "bare_post", rate, rps)
    out.append(
        Figure(
            "7",
            "access-log sealing: rows chained/s by one sealer",
            "the request path's access-log insert (unsealed, no lock), pgbench, 8 writers",
            sealing,
            "report",
            f"{_fmt(med('seal', 'rate'))} rows/s sealed vs {_fmt(med('pg_log', 'tps'))} tps "
            "inserted",
            extra={
                "chain_vs_target_1_need": [c / 0.5 for c in need],
                "chain_caps_intake_verdict": verdict(
                    statistics.median(need) / 0.5 if need else None, ">= 1"
                ),
            },
        )
    )
    for kind, label in (
        ("gunicorn_worker", "gunicorn worker"),
        ("celery_pool", "Celery worker (pool process)"),
        ("celery_main", "Celery worker (main process)"),
    ):
        peak = peaks.get(kind)
        out.append(
            Figure(
                "8",
                f"peak resident memory, {label}",
                "-",
                [],
                "<= 250 MB",
                _fmt(peak / MB if peak else None, " MB"),
                extra={"peak_mb": peak / MB if peak else None},
            )
        )
    for f in out:
        if f.number == "8":
            f.verdict = verdict(f.extra["peak_mb"], f.target)
        elif f.number == "6":
            v = verdict(f.spread["median"] if f.spread else None, f.target)
            if v == "PASS" and not f.extra["queries_constant"]:
                v = "MISS (queries differ)"
            f.verdict = v
        else:
            f.verdict = verdict(f.spread["median"] if f.spread else None, f.target)
    return out


def _spread_text(f: Figure) -> str:
    s = f.spread
    if s is None:
        return "-"
    return f"**{s['median']:.2f}** ({s['min']:.2f}-{s['max']:.2f})"


def markdown(result: dict[str, Any], figs: list[Figure]) -> str:
    m = result["machine"]
    lines = [
        f"# Bench results ({result['mode']}, {m['measured_at']})",
        "",
        "Ratios against a baseline measured in the same run: **median** (min-max) over "
        f"{result['rounds']} rounds. Absolute figures are indicative only (a shared, noisy "
        "machine). A MISS does not fail the run in this phase.",
        "",
        "| # | measure | baseline | ratio | target | verdict | indicative |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figs:
        target, verdict_ = f.target, f.verdict
        if f.number == "4":
            target += f"; p99 {f.extra['p99_target']}"
            verdict_ += f"; p99 {f.extra['p99_verdict']}"
        if f.number == "7":
            target += "; sealer >= target 1's need"
            verdict_ += f"; {f.extra['chain_caps_intake_verdict']}"
        if f.number == "6" and f.extra["queries_per_page"]:
            target += ", queries constant"
        lines.append(
            f"| {f.number} | {f.measure} | {f.baseline} | {_spread_text(f)} | {target} | "
            f"{verdict_} | {f.absolute} |"
        )
    lines += [
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in m.items()),
        "",
        "SQL statements per request (10k): "
        + (", ".join(f"{k} {v}" for k, v in result.get("queries_per_request", {}).items()) or "-"),
        "",
        "Data: " + json.dumps(result["data"]),
        "",
        f"Duration: {result['duration_s']:.0f} s. Notes: " + ("; ".join(result["notes"]) or "-"),
        "",
    ]
    return "\n".join(lines)


def write(result: dict[str, Any], samples: dict, peaks: dict[str, int]) -> list[Figure]:
    figs = figures(samples, peaks)
    result = {
        **result,
        "figures": [{**asdict(f), "spread": f.spread} for f in figs],
        "samples": samples,
        "peaks_kib": peaks,
    }
    text = json.dumps(result, indent=2, default=str) + "\n"
    md = markdown(result, figs)
    if result.get("publish", True):
        folder, stems = config.RESULTS, ("latest", result["mode"])
    else:  # the CI smoke: not comparable figures, never over the published ones
        folder, stems = config.RUN_DIR, (result["mode"],)
    folder.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        Path(folder / f"{stem}.json").write_text(text)
        Path(folder / f"{stem}.md").write_text(md)
    print("\n" + md)
    return figs
