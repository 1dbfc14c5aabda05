"""Totals over a fault run: printed at the end (conftest's terminal-summary hook) and written to
var/fault-totals.json."""

import json
from pathlib import Path
from typing import Any

from tests.faults.verdict import Verdict

ROOT = Path(__file__).resolve().parents[2]
TOTALS_FILE = ROOT / "var" / "fault-totals.json"

VERDICTS: list[Verdict] = []


def record(verdict: Verdict) -> None:
    VERDICTS.append(verdict)


def totals() -> dict[str, Any]:
    keys = ("faults_injected", "signals", "accepted", "lost", "doubled", "stuck",
            "push_duplicates", "push_duplicates_uncollapsed", "emails_sent", "email_repeats",
            "email_repeats_unrecognisable")  # fmt: skip
    summed = {key: sum(v.as_dict()[key] for v in VERDICTS) for key in keys}
    return {"scenarios": len(VERDICTS), **summed}


def write() -> Path:
    TOTALS_FILE.parent.mkdir(parents=True, exist_ok=True)
    TOTALS_FILE.write_text(
        json.dumps(
            {"totals": totals(), "scenarios": [v.as_dict() for v in VERDICTS]},
            indent=2,
            default=str,
        )
        + "\n"
    )
    return TOTALS_FILE


def lines() -> list[str]:
    result = []
    for v in VERDICTS:
        recovery = "-" if v.recovery_seconds is None else f"{v.recovery_seconds:.1f}s"
        bound = "" if v.push_duplicate_bound is None else f"/{v.push_duplicate_bound}"
        result.append(
            f"{v.scenario:<48} faults {v.faults_injected:>2}  signals {v.signals:>4}  "
            f"accepted {v.accepted:>4}  lost {v.lost}  doubled {v.doubled}  stuck {v.stuck}  "
            f"push dup {v.push_duplicates}{bound} ({v.push_duplicates_uncollapsed} uncollapsed)  "
            f"recovery {recovery}  "
            f"max latency {v.max_latency_seconds:.1f}s"
        )
    t = totals()
    result.append(
        f"TOTAL {t['scenarios']} scenarios: faults injected {t['faults_injected']}, signals "
        f"{t['signals']}, lost {t['lost']}, doubled {t['doubled']}, stuck {t['stuck']}, push "
        f"duplicates {t['push_duplicates']} ({t['push_duplicates_uncollapsed']} uncollapsed), "
        f"e-mails {t['emails_sent']}, repeated {t['email_repeats']} "
        f"({t['email_repeats_unrecognisable']} unrecognisable)"
    )
    return result
