"""Which tables the figures publish, over which dimensions, and how those dimensions are linked
(docs/adr/0030). Every figure the API, the CSV files or the charts show is a cell of this one
release, so two overlapping queries are two views of the same protected cells."""

from collections.abc import Sequence

from outcomes.scoring import InstrumentSpec
from outcomes.stats import facts
from outcomes.stats.suppression import Derived, Release
from signals.models import Outcome, Status, TargetGroup, Urgency

# A query may narrow the figures to one value of one of these (not both: every extra filter
# multiplies the cells, and a city's numbers would then be mostly suppressed).
FILTERS = ("wijk", "target_group")
# The one-way tables, in the order the API lists them.
TABLES = (
    "wijk",
    "month",
    "target_group",
    "urgency",
    "status",
    "outcome",
    "baseline",
    "follow_up",
    "score_change",
)
# The chart's grid: signals, and those closed as connected, per wijk per month.
GRID = ("connected", "month", "wijk")
SCORE_CHANGES = ("improved", "unchanged", "worsened", "not_paired")


def score_values(spec: InstrumentSpec) -> list[str]:
    return [*(str(total) for total in range(spec.max_total + 1)), facts.INCOMPLETE,
            facts.DECLINED, facts.NONE]  # fmt: skip


def build(*, wijken: Sequence[str], months: Sequence[str], spec: InstrumentSpec) -> Release:
    outcomes = [*Outcome.values, facts.NONE]
    dimensions = {
        "wijk": list(wijken),
        "month": list(months),
        "target_group": list(TargetGroup.values),
        "urgency": list(Urgency.values),
        "status": list(Status.values),
        "outcome": outcomes,
        "connected": ["yes", "no"],
        "closed": ["yes", "no"],
        "baseline": score_values(spec),
        "follow_up": score_values(spec),
        "score_change": list(SCORE_CHANGES),
    }
    tables: list[tuple[str, ...]] = [(name,) for name in (*TABLES, "connected")]
    for by in FILTERS:
        tables += [(by, name) for name in (*TABLES, "connected") if name != by]
    tables.append(GRID)
    connected = {o: "yes" if o in facts.CONNECTED else "no" for o in outcomes}
    derived = [
        Derived("connected", "outcome", connected),
        # Closed exactly when there is an outcome: both published, linked through `closed`.
        Derived("closed", "status", {s: "yes" if s == Status.CLOSED else "no" for s in Status}),
        Derived("closed", "outcome", {o: "no" if o == facts.NONE else "yes" for o in outcomes}),
    ]
    return Release(
        dimensions=dimensions,
        tables=[tuple(sorted(table)) for table in tables],
        derived=derived,
        virtual=frozenset({"closed"}),
    )
