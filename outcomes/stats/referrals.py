"""Which kinds of initiative the teams refer residents to, and how many of those referrals
reached a first meeting (initiatives.Referral: ids, steps and dates only, which erasure keeps).
An initiative has one or more kinds, so a referral counts once under each of its kinds; the
kinds are a release of their own, suppressed like the signal figures (docs/adr/0030)."""

from dataclasses import dataclass
from datetime import datetime

from initiatives.models import ActivityKind, Referral
from outcomes.stats.audit import protect
from outcomes.stats.suppression import Cell, Release, count_records


@dataclass(frozen=True)
class KindFigures:
    kind: str
    referrals: int | None  # None: suppressed
    first_meetings: int | None


def referral_figures(*, start: datetime, end: datetime, threshold: int) -> list[KindFigures]:
    """Per activity kind: referrals of signals submitted from `start` until `end`, and those
    that reached a first meeting."""
    rows = Referral.objects.filter(
        signal__created_at__gte=start, signal__created_at__lt=end
    ).values_list("initiative__kinds", "first_meeting_at")
    records = [
        {"kind": kind, "reached": "yes" if met else "no"}
        for kinds, met in rows
        for kind in dict.fromkeys(kinds or [])
        if kind in ActivityKind.values
    ]
    release = Release(
        dimensions={"kind": list(ActivityKind.values), "reached": ["yes", "no"]},
        tables=[("kind", "reached")],
    )
    count_records(release, records)
    hidden = protect(release, threshold)

    def shown(cell: Cell) -> int | None:
        return None if cell in hidden else release.counts[cell]

    return [
        KindFigures(
            kind=kind,
            referrals=shown(Cell({("kind", kind)})),
            first_meetings=shown(Cell({("kind", kind), ("reached", "yes")})),
        )
        for kind in ActivityKind.values
    ]
