"""The figures that are not counts (issue 19, item 7): times and means need at least the
threshold's number of values, the threshold's floor of 5 holds for them too, a hidden group's
mean is not the overall sum minus the shown ones, and the chart's grid hides small cells."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from outcomes.stats import publish
from outcomes.stats.facts import SignalFacts
from outcomes.stats.releases import figure_releases_create, threshold
from signals.models import Status
from tests.factories import UserFactory
from tests.outcomes.world import area, signal_in

AMS = ZoneInfo("Europe/Amsterdam")
JAN = datetime(2026, 1, 12, 9, 0, tzinfo=AMS)
NOW = datetime(2026, 2, 10, 12, 0, tzinfo=AMS)


class _AllShown:
    def get(self, **values: str) -> int:
        return 1


def _facts(wijk: str, change: int, hours: float = 1.0) -> SignalFacts:
    record = {"wijk": wijk, "target_group": "elderly_at_home"}
    return SignalFacts(record, hours, hours, change)


def test_times_need_the_threshold_of_values():
    four = [_facts("A", 0, hours) for hours in (1, 2, 3, 4)]
    assert publish._times(four, 5)["acknowledgement"] == {"median_hours": None, "p90_hours": None}
    five = [*four, _facts("A", 0, 5)]
    assert publish._times(five, 5)["acknowledgement"]["median_hours"] == 3.0


@pytest.mark.parametrize(
    "small",
    [{"C": 2}, {"C": 2, "D": 1}],
    ids=["one hidden group", "two hidden groups with three pairs together"],
)
def test_hidden_group_means_are_not_left_to_subtraction(small):
    """A and B have 6 pairs each; the small groups' means are hidden. With the overall mean
    shown, the hidden groups' sum is the overall sum minus A's and B's: one hidden group, or
    hidden groups with fewer pairs than the threshold together, would be given away. So one
    of A and B is hidden too (or the overall mean)."""
    sizes = {"A": 6, "B": 6, **small}
    rows = [_facts(wijk, -1) for wijk, n in sizes.items() for _ in range(n)]
    dimensions = {"wijk": list(sizes), "target_group": ["elderly_at_home"]}
    means = publish._mean_changes(_AllShown(), rows, dimensions, 5)
    hidden = [w for w in sizes if means[("wijk", w)] is None]
    assert set(small) <= set(hidden)
    assert means[None] is None or (len(hidden) > 1 and sum(sizes[w] for w in hidden) >= 5)


@pytest.mark.django_db
def test_the_floor_of_five_holds_for_counts_times_means_and_the_grid(settings, client_for):
    """With the setting at 2, four signals in a wijk are still hidden in the tables and the
    chart's grid, and no time or mean is shown over them."""
    settings.STATS_SUPPRESSION_THRESHOLD = 2
    signaller = UserFactory(field_worker=True)
    place = area("Dorp", "WK034402", "3511AB")
    for _ in range(4):
        signal_in(place, JAN, signaller=signaller, steps=((Status.ACKNOWLEDGED, 3),))
    with time_machine.travel(NOW, tick=False):
        assert threshold() == 5
        figure_releases_create()
        client = client_for(UserFactory(privacy_officer=True))
        body = client.get("/api/v1/stats").json()
        chart = client.get("/api/v1/stats/charts", {"name": "signals-per-wijk-month"})
    assert body["threshold"] == 5 and body["total"] is None
    assert body["times"]["acknowledgement"] == {"median_hours": None, "p90_hours": None}
    assert body["paired_change"]["mean_change"] is None
    grid = {(r["wijk"], r["month"]): r["signals"] for r in body["grid"]}
    assert grid[("WK034402", "2026-01")] is None
    svg = chart.content.decode()
    assert 'data-figure="wijk=WK034402;month=2026-01"' in svg
    assert 'data-figure="wijk=WK034402;month=2026-01" data-count' not in svg
