"""Referrals per kind of initiative and how many reached a first meeting, suppressed like the
other figures: a small count and the figure that would give it away are null."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from initiatives import services as referrals
from outcomes.stats.facts import month_start
from outcomes.stats.referrals import referral_figures
from signals.models import Status
from tests.factories import member_of
from tests.initiatives.factories import make_initiative, sharing_consent
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db
TO_MEETING = ("agreed", "contacted", "meeting_planned", "meeting_happened")


@pytest.fixture
def member():
    return member_of(team_with_coverage())


def last_month_window() -> dict:
    end = month_start(timezone.now())
    return {"start": month_start(end - timedelta(days=1)), "end": end}


def refer(member, initiative, *, meet: bool) -> None:
    signal = make_signal(state=Status.CONTACTED, worker=member, consent=sharing_consent("any"))
    referrals.referral_propose(actor=member, signal_id=signal.pk, initiative_id=initiative.pk)
    for step in TO_MEETING if meet else ("agreed",):
        referrals.referral_step(actor=member, signal_id=signal.pk, step=step)


def test_referrals_per_kind_with_first_meetings_and_suppression(member):
    walking = make_initiative(kinds=["sport_and_movement", "outing"])
    buddies = make_initiative(kinds=["buddy"])
    last_month = month_start(timezone.now()) - timedelta(days=3)
    with time_machine.travel(last_month, tick=False):
        for n in range(12):
            refer(member, walking, meet=n < 7)
        for n in range(3):
            refer(member, buddies, meet=n < 1)
    figures = {k.kind: k for k in referral_figures(**last_month_window(), threshold=5)}
    walking_kinds = [(figures[k].referrals, figures[k].first_meetings)
                     for k in ("outing", "sport_and_movement")]  # fmt: skip
    # the buddies' row needs a complementary row: one of the walking kinds (never a row of
    # zeros, which cannot go down and so would still pin the buddies' counts)
    assert sorted(walking_kinds, key=str) == [(12, 7), (None, None)]
    assert all(figures[k].referrals == 0 for k in ("grief", "animals", "meals"))
    # three buddy referrals, one meeting: both small, both hidden
    assert figures["buddy"].referrals is None and figures["buddy"].first_meetings is None
    assert figures["grief"].referrals == 0
    # this month's referrals wait for the month to end
    refer(member, buddies, meet=True)
    again = {k.kind: k for k in referral_figures(**last_month_window(), threshold=5)}
    assert again == figures


def test_a_small_share_that_did_not_meet_is_not_given_away(member):
    """12 referrals of which 10 met: the 2 that did not are a small count too, so the meetings
    are hidden (12 - 10 would tell)."""
    walking = make_initiative(kinds=["outing"])
    with time_machine.travel(month_start(timezone.now()) - timedelta(days=3), tick=False):
        for n in range(12):
            refer(member, walking, meet=n < 10)
    figures = {k.kind: k for k in referral_figures(**last_month_window(), threshold=5)}
    assert figures["outing"].first_meetings is None
