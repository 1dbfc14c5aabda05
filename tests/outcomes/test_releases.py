"""Monthly releases (docs/adr/0031): the beat task and the command release every whole month
once, a month not yet over is refused, and a release is stored, never recomputed."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from backend.celery import app
from backend.errors import DomainError
from outcomes.models import FigureRelease
from outcomes.stats.releases import figure_release_create
from outcomes.tasks import release_figures
from tests.factories import UserFactory
from tests.outcomes.world import area, signal_in

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def two_months():
    signaller = UserFactory(field_worker=True)
    place = area("Dorp", "WK034402", "3511AB")
    for moment in (datetime(2026, 1, 12, 9, tzinfo=AMS), datetime(2026, 2, 3, 9, tzinfo=AMS)):
        signal_in(place, moment, signaller=signaller)


def test_the_beat_task_releases_each_whole_month_once(two_months):
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=AMS), tick=False):
        assert release_figures() == ["2026-01", "2026-02"]
        stored = {r.period: (r.figures, r.created_at) for r in FigureRelease.objects.all()}
        assert release_figures() == []
    assert {r.period: (r.figures, r.created_at) for r in FigureRelease.objects.all()} == stored
    january = FigureRelease.objects.get(period=date(2026, 1, 1))
    assert january.threshold == 10 and january.figures["views"][""]["total"] is None  # 1 < 10
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == release_figures.name)  # fmt: skip
    assert entry["schedule"] <= 86400
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_command_releases_what_is_due_and_says_so(two_months):
    out = StringIO()
    with time_machine.travel(datetime(2026, 2, 20, 9, tzinfo=AMS), tick=False):
        call_command("release_figures", stdout=out)
        call_command("release_figures", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("released 2026-01: ") and lines[1] == "nothing to release"


def test_a_month_not_yet_over_is_not_released(two_months):
    in_february = time_machine.travel(datetime(2026, 2, 20, 9, tzinfo=AMS), tick=False)
    with in_february, pytest.raises(DomainError) as refused:
        figure_release_create(period=date(2026, 2, 1))
    assert refused.value.code == "figures_month_open"
    assert not FigureRelease.objects.exists()


@pytest.mark.parametrize("period", ["0000-01", "2026-13", "2026-1", "26-01", "2026-01-01"])
def test_a_period_that_is_no_month_is_refused_not_a_500(period):
    """Fuzzing found `0000-01`: the pattern matched, the date did not exist, and the API
    answered 500."""
    from outcomes.api.stats_serializers import StatsQuery

    query = StatsQuery(data={"period": period})
    assert not query.is_valid()
    assert "period" in query.errors
