"""The figures on a known data set: counts, times, shares, score distributions and paired
change, filtered by one wijk or target group; CSV of every table; the charts (docs/adr/0030)."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from outcomes.stats.releases import figure_releases_create
from outcomes.stats.tables import BUILDERS
from signals.models import Status
from tests.factories import UserFactory, member_of
from tests.outcomes.world import answers, area, signal_in

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
JAN = datetime(2026, 1, 12, 9, 0, tzinfo=AMS)
FEB = datetime(2026, 2, 9, 9, 0, tzinfo=AMS)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=AMS)
SEVERE = answers(("yes", "yes", "more_or_less"), ("no", "no", "yes"))  # 3 + 2 = 5
MODERATE = answers(("yes", "no", "no"), ("no", "more_or_less", "yes"))  # 1 + 2 = 3
MILD = answers(("yes", "no", "no"), ("no", "yes", "yes"))  # 1 + 1 = 2


@pytest.fixture
def known(settings):
    """A (Binnenstad, January): 10 elderly residents, acknowledged after 2 h (5) or 4 h (5),
    contacted after 24 h; five closed as connected to their own network, with baseline 5 and
    follow-up 2; five still contacted, baseline 3. B (Overvecht, February): 10 young adults
    acknowledged after 6 h; five closed as referred to professional care. One signal in March,
    the current month, which the figures leave out."""
    settings.STATS_SUPPRESSION_THRESHOLD = 5
    signaller = UserFactory(field_worker=True)
    a = area("Binnenstad", "WK034406", "3511AB")
    b = area("Overvecht", "WK034403", "3561AA")
    for n in range(10):
        closed = n < 5
        steps = [(Status.ACKNOWLEDGED, 2 if n % 2 else 4), (Status.CONTACTED, 24)]
        steps += [(Status.CLOSED, 48)] if closed else []
        signal_in(
            a, JAN, signaller=signaller, steps=tuple(steps),
            outcome="connected_to_informal_network",
            baseline=SEVERE if closed else MODERATE, follow_up=MILD if closed else None,
        )  # fmt: skip
    for n in range(10):
        steps = [(Status.ACKNOWLEDGED, 6)] + ([(Status.CLOSED, 30)] if n < 5 else [])
        signal_in(
            b, FEB, signaller=signaller, target_group="young_adult", steps=tuple(steps),
            outcome="referred_to_professional_care",
        )  # fmt: skip
    signal_in(a, datetime(2026, 3, 2, 9, 0, tzinfo=AMS), signaller=signaller)
    with time_machine.travel(NOW, tick=False):
        figure_releases_create()
    return member_of(a.team, role="coordinator")


def counts(body: dict, table: str) -> dict[str, int | None]:
    return {row["value"]: row["count"] for row in body["tables"][table] if row["count"] != 0}


def test_the_figures_of_a_known_data_set(known, client_for):
    with time_machine.travel(NOW, tick=False):
        client = client_for(known)
        body = client.get("/api/v1/stats", {"period": "2026-01"}).json()
        latest = client.get("/api/v1/stats").json()
    assert body["threshold"] == 5
    assert body["period"] == "2026-01" and body["released"] == ["2026-01", "2026-02"]
    assert body["months"] == ["2026-01"]
    assert body["total"] == 10
    assert counts(body, "wijk") == {"WK034406": 10}
    assert counts(body, "month") == {"2026-01": 10}
    assert counts(body, "target_group") == {"elderly_at_home": 10}
    assert counts(body, "urgency") == {"normal": 10}
    assert counts(body, "status") == {"closed": 5, "contacted": 5}
    assert counts(body, "outcome") == {"connected_to_informal_network": 5, "none": 5}
    assert counts(body, "baseline") == {"5": 5, "3": 5}
    assert counts(body, "follow_up") == {"2": 5, "none": 5}
    assert counts(body, "score_change") == {"improved": 5, "not_paired": 5}
    assert body["times"] == {
        "acknowledgement": {"median_hours": 3.0, "p90_hours": 4.0},
        "first_contact": {"median_hours": 24.0, "p90_hours": 24.0},
    }
    assert body["shares"] == {
        "connected": 1.0, "connected_to_initiative": 0.0, "connected_to_informal_network": 1.0,
    }  # fmt: skip
    assert body["paired_change"] == {"pairs": 5, "mean_change": -3.0}
    assert {(r["wijk"], r["month"]): (r["signals"], r["connections"]) for r in body["grid"]} == {
        ("WK034403", "2026-01"): (0, 0), ("WK034406", "2026-01"): (10, 5),
    }  # fmt: skip
    labels = {row["value"]: row["label"] for row in body["tables"]["wijk"]}
    assert labels["WK034406"] == "Binnenstad"
    # the latest release by default: February, Overvecht's young adults
    assert latest["period"] == "2026-02" and latest["total"] == 10
    assert counts(latest, "status") == {"acknowledged": 5, "closed": 5}
    assert latest["times"]["acknowledgement"] == {"median_hours": 6.0, "p90_hours": 6.0}


def test_an_unreleased_or_malformed_period_is_refused(known, client_for):
    with time_machine.travel(NOW, tick=False):
        client = client_for(known)
        march = client.get("/api/v1/stats", {"period": "2026-03"})
        malformed = client.get("/api/v1/stats", {"period": "2026-13"})
    assert march.status_code == 404 and march.json()["code"] == "no_figures_released"
    assert malformed.status_code == 400


def test_one_filter_narrows_every_table(known, client_for):
    with time_machine.travel(NOW, tick=False):
        client = client_for(known)
        a = client.get("/api/v1/stats", {"wijk": "WK034406", "period": "2026-01"}).json()
        young = client.get("/api/v1/stats", {"target_group": "young_adult"}).json()
        both = client.get("/api/v1/stats", {"wijk": "WK034406", "target_group": "young_adult"})
    assert a["filter"] == {"wijk": "WK034406"} and a["total"] == 10
    assert a["tables"]["wijk"] is None
    assert counts(a, "status") == {"closed": 5, "contacted": 5}
    assert a["times"]["acknowledgement"] == {"median_hours": 3.0, "p90_hours": 4.0}
    assert a["shares"]["connected"] == 1.0
    assert [r["wijk"] for r in a["grid"]] == ["WK034406"]
    assert young["total"] == 10 and counts(young, "wijk") == {"WK034403": 10}
    assert young["grid"] is None
    assert both.status_code == 400 and both.json()["code"] == "one_stats_filter"


def test_every_table_as_csv(known, client_for):
    with time_machine.travel(NOW, tick=False):
        client = client_for(known)
        for name in BUILDERS:
            query = {"name": name, "period": "2026-01"}
            response = client.get("/api/v1/stats/tables", {**query, "format": "csv"})
            assert response.status_code == 200, name
            assert response["Content-Type"].startswith("text/csv")
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            json_rows = client.get("/api/v1/stats/tables", query).json()
            assert rows[0] == json_rows["columns"]
            assert len(rows) - 1 == len(json_rows["rows"])
        status = client.get(
            "/api/v1/stats/tables", {"name": "status", "format": "csv", "period": "2026-01"}
        )
        assert client.get("/api/v1/stats/tables", {"name": "nope"}).status_code == 400
    status = status.content.decode()
    assert "closed,Afgesloten,5,False" in status.splitlines()


def test_both_charts_are_svg_with_the_published_figures(known, client_for):
    with time_machine.travel(NOW, tick=False):
        client = client_for(known)
        grid = client.get("/api/v1/stats/charts", {"name": "signals-per-wijk-month"})
        scores = client.get(
            "/api/v1/stats/charts", {"name": "score-distribution"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert client.get("/api/v1/stats/charts", {"name": "pie"}).status_code == 400
    assert grid.status_code == 200 and grid["Content-Type"].startswith("image/svg+xml")
    text = grid.content.decode()
    assert text.startswith("<svg") and "Binnenstad" in text and "2026-02" in text
    assert ">10</text>" in text and ">5</text>" in text
    english = scores.content.decode()
    assert "Baseline" in english and "Severely lonely" in english


def test_only_coordinators_privacy_officers_and_admins_read_the_figures(known, client_for):
    a_member = member_of(known.memberships.first().team)
    with time_machine.travel(NOW, tick=False):
        assert client_for(a_member).get("/api/v1/stats").status_code == 403
        assert client_for(UserFactory(field_worker=True)).get("/api/v1/stats").status_code == 403
        assert client_for(UserFactory(privacy_officer=True)).get("/api/v1/stats").status_code == 200
        assert client_for(UserFactory(admin=True)).get("/api/v1/stats").status_code == 200
