"""No suppressed figure can be worked out from what the API publishes: the row and column
totals, the filtered views against the unfiltered one (differencing across filter
combinations), the grid, the shares and the link between status and outcome. The attacker
(tests/outcomes/attacker.py) gathers every view the API offers and solves exactly."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from outcomes.stats.releases import figure_releases_create
from signals.models import Outcome, Status, TargetGroup
from tests.factories import UserFactory
from tests.outcomes import attacker
from tests.outcomes.world import area, signal_in

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
JAN = datetime(2026, 1, 12, 9, 0, tzinfo=AMS)
NOW = datetime(2026, 2, 10, 12, 0, tzinfo=AMS)
A, B = "WK034406", "WK034403"
CLOSE_INFORMAL = ((Status.ACKNOWLEDGED, 2), (Status.CLOSED, 30))
DIMENSIONS = ("wijk", "month", "target_group", "urgency", "status", "outcome", "baseline",
              "follow_up", "score_change")  # fmt: skip
CONNECTED = (Outcome.CONNECTED_TO_INITIATIVE, Outcome.CONNECTED_TO_INFORMAL_NETWORK)


@pytest.fixture
def crafted():
    """A: 3 young adults (small), 20 elderly closed as connected to their own network and 3
    elderly closed as referred to care (small); B: 20 young adults and 20 elderly, routed."""
    signaller = UserFactory(field_worker=True)
    a = area("Binnenstad", A, "3511AB")
    b = area("Overvecht", B, "3561AA")
    for _ in range(3):
        signal_in(a, JAN, signaller=signaller, target_group="young_adult")
    for _ in range(20):
        signal_in(
            a, JAN, signaller=signaller, steps=CLOSE_INFORMAL,
            outcome="connected_to_informal_network",
        )  # fmt: skip
    for _ in range(3):
        signal_in(
            a, JAN, signaller=signaller, steps=CLOSE_INFORMAL,
            outcome="referred_to_professional_care",
        )  # fmt: skip
    for group in ("young_adult", "elderly_at_home"):
        for _ in range(20):
            signal_in(b, JAN, signaller=signaller, target_group=group)
    return UserFactory(privacy_officer=True)


def views(client) -> dict[frozenset, dict]:
    """Every view the API answers: no filter, each wijk, each target group (of January's
    release, made here)."""
    figure_releases_create()
    filters = [{}, {"wijk": A}, {"wijk": B}, *({"target_group": g} for g in TargetGroup.values)]
    return {frozenset(f.items()): client.get("/api/v1/stats", f).json() for f in filters}


def cells_of(answers: dict[frozenset, dict]) -> dict[frozenset, int | None]:
    """What the attacker reads: each count by the cell it counts (None: suppressed)."""
    cells: dict[frozenset, int | None] = {}
    for given, body in answers.items():
        cells[given] = body["total"]
        for table, rows in body["tables"].items():
            for row in rows or []:
                cells[given | {(table, row["value"])}] = row["count"]
        closed = cells.get(given | {("status", Status.CLOSED)})
        share = body["shares"]["connected"]
        connected = given | {("connected", "yes")}
        cells[connected] = None if share is None or closed is None else round(share * closed)
        for row in body["grid"] or []:
            at = frozenset({("wijk", row["wijk"]), ("month", row["month"])})
            cells[at] = row["signals"]
            cells[at | {("connected", "yes")}] = row["connections"]
    return cells


def relations(cells: dict[frozenset, int | None], values: dict[str, list[str]]) -> list[dict]:
    """How the published counts add up, as the attacker knows it."""
    found = []
    for parent in cells:
        for dimension in DIMENSIONS:
            if dimension in dict(parent):
                continue
            children = [parent | {(dimension, v)} for v in values[dimension]]
            if all(child in cells for child in children):
                found.append({parent: -1, **dict.fromkeys(children, 1)})
        if ("connected", "yes") not in parent and ("status", Status.CLOSED) in parent:
            # closed exactly when there is an outcome
            group = parent - {("status", Status.CLOSED)}
            outcomes = [group | {("outcome", o)} for o in Outcome.values]
            if all(o in cells for o in outcomes):
                found.append({parent: -1, **dict.fromkeys(outcomes, 1)})
        if ("connected", "yes") in parent:
            group = parent - {("connected", "yes")}
            parts = [group | {("outcome", o)} for o in CONNECTED]
            if all(p in cells for p in parts):
                found.append({parent: -1, **dict.fromkeys(parts, 1)})
            months = [group | {("month", m)} | {("connected", "yes")} for m in values["month"]]
            if "month" not in dict(group) and all(m in cells for m in months):
                found.append({parent: -1, **dict.fromkeys(months, 1)})
    return found


def test_no_suppressed_figure_can_be_worked_out_from_all_views(crafted, client_for):
    with time_machine.travel(NOW, tick=False):
        answers = views(client_for(crafted))
    cells = cells_of(answers)
    plain = answers[frozenset()]
    values = {t: [r["value"] for r in rows] for t, rows in plain["tables"].items()}
    known = {cell: n for cell, n in cells.items() if n is not None}
    unknown = sorted((cell for cell, n in cells.items() if n is None), key=sorted)
    # a count the API shows as suppressed (a share left out for want of its whole is not one)
    suppressed = {cell for cell in unknown if ("connected", "yes") not in cell or len(cell) == 3}
    assert suppressed, "the crafted data has small cells"
    assert set(attacker.pinned(relations(cells, values), known, unknown)) & suppressed == set()


def test_the_small_cells_are_hidden_the_same_way_in_every_view(crafted, client_for):
    with time_machine.travel(NOW, tick=False):
        answers = views(client_for(crafted))
    cells = cells_of(answers)
    young_a = frozenset({("wijk", A), ("target_group", "young_adult")})
    care_a = frozenset({("wijk", A), ("outcome", "referred_to_professional_care")})
    assert cells[young_a] is None and cells[care_a] is None
    # the naive differences: all young adults minus B's, A's closed minus A's connected
    young, young_b = (
        cells[frozenset({("target_group", "young_adult")})],
        cells[frozenset({("wijk", B), ("target_group", "young_adult")})],
    )
    assert young is None or young_b is None
    closed_a = cells[frozenset({("wijk", A), ("status", Status.CLOSED)})]
    informal_a = cells[frozenset({("wijk", A), ("outcome", "connected_to_informal_network")})]
    assert closed_a is None or informal_a is None
    # the target group view shows the same cell as the wijk view: hidden there too
    young_view = answers[frozenset({("target_group", "young_adult")})]
    assert {r["value"]: r["count"] for r in young_view["tables"]["wijk"]}[A] is None


def test_without_complements_the_attacker_recovers_the_small_cells(
    crafted, client_for, monkeypatch
):
    """The attack is real: with primary suppression only, differencing gives A's 3 away."""
    from outcomes.stats import publish

    calls = []

    def primary_only(release, threshold):
        calls.append(threshold)
        return {c for c, n in release.counts.items() if 0 < n < threshold}

    monkeypatch.setattr(publish, "protect", primary_only)
    with time_machine.travel(NOW, tick=False):
        answers = views(client_for(crafted))
    assert calls, "the release was protected by primary suppression only"
    cells = cells_of(answers)
    plain = answers[frozenset()]
    values = {t: [r["value"] for r in rows] for t, rows in plain["tables"].items()}
    known = {cell: n for cell, n in cells.items() if n is not None}
    unknown = sorted((cell for cell, n in cells.items() if n is None), key=sorted)
    pinned = attacker.pinned(relations(cells, values), known, unknown)
    assert pinned[frozenset({("wijk", A), ("target_group", "young_adult")})] == 3
