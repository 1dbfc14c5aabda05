from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from signals.deadlines import (
    AMSTERDAM,
    add_working_hours,
    deadline,
    measurement_follow_up_due,
    queue_due,
    response_deadlines,
    status_due,
)
from signals.models import Status


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (ams(2026, 11, 23, 10), 4, ams(2026, 11, 23, 14)),  # Monday morning, same day
        (ams(2026, 11, 23, 15), 4, ams(2026, 11, 24, 11)),  # runs over into Tuesday
        (ams(2026, 11, 27, 18), 4, ams(2026, 11, 30, 13)),  # Friday evening -> Monday
        (ams(2026, 11, 28, 12), 8, ams(2026, 11, 30, 17)),  # Saturday counts from Monday 9:00
        (ams(2026, 11, 23, 7), 16, ams(2026, 11, 24, 17)),  # before opening, two full days
        (ams(2026, 11, 23, 17), 1, ams(2026, 11, 24, 10)),  # exactly at closing time
    ],
)
def test_working_hours(start, hours, expected):
    assert add_working_hours(start, hours) == expected


def test_calendar_hours_ignore_weekends():
    assert deadline(ams(2026, 11, 27, 18), 4, working_hours=False) == ams(2026, 11, 27, 22)


# --- the rules, one module (issue 19, item 3) --------------------------------------------------

APPS = (
    *("accounts", "audit", "signals", "initiatives"),
    *("notifications", "outcomes", "privacy", "workspace"),
)
# What a deadline rule is made of: the review period, the measurement's follow-up period, the
# end of a follow-up day, the response deadlines' fallback, a calendar month.
RULE_MARKERS = (
    "FOLLOW_UP_REVIEW_DAYS",
    "OUTCOME_FOLLOW_UP_MONTHS",
    "time(17",
    "timedelta(hours=24)",
    "timedelta(hours=72)",
    "relativedelta(",
)


def test_no_module_but_signals_deadlines_holds_a_deadline_rule():
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}: {marker}"
        for app in APPS
        for path in sorted((root / app).rglob("*.py"))
        if "migrations" not in path.parts and path != root / "signals" / "deadlines.py"
        for marker in RULE_MARKERS
        if marker in path.read_text()
    ]
    assert found == []


def test_the_response_deadlines_follow_the_policy_or_fall_back_to_calendar_hours():
    start = ams(2026, 11, 27, 16)  # Friday 16:00
    policy = SimpleNamespace(
        acknowledge_within_hours=4, first_contact_within_hours=8, working_hours=True
    )
    due = response_deadlines(start, policy)
    assert due.acknowledge_due_at == ams(2026, 11, 30, 12)
    assert due.first_contact_due_at == ams(2026, 11, 30, 16)
    fallback = response_deadlines(start, None)
    assert fallback.acknowledge_due_at == ams(2026, 11, 28, 16)
    assert fallback.first_contact_due_at == ams(2026, 11, 30, 16)


@pytest.mark.parametrize(
    ("status", "first_contact", "expected"),
    [
        (Status.ACKNOWLEDGED, ams(2026, 11, 25, 12), ams(2026, 11, 25, 12)),
        (Status.ACKNOWLEDGED, None, ams(2026, 12, 7, 10)),  # the review date
        (Status.CONTACTED, ams(2026, 11, 25, 12), ams(2026, 12, 7, 10)),
        (Status.IN_FOLLOW_UP, None, ams(2026, 12, 7, 10)),
        (Status.CLOSED, ams(2026, 11, 25, 12), ams(2026, 11, 23, 10)),  # now
        (Status.DECLINED, None, ams(2026, 11, 23, 10)),
    ],
)
def test_the_queue_deadline_of_each_status(settings, status, first_contact, expected):
    settings.FOLLOW_UP_REVIEW_DAYS = 14
    now = ams(2026, 11, 23, 10)
    assert status_due(status, first_contact_due_at=first_contact, now=now) == expected


def test_a_referral_s_follow_up_brings_the_queue_deadline_forward_never_back():
    own = ams(2026, 12, 7, 10)
    assert queue_due(own, None) == own
    assert queue_due(own, date(2026, 12, 1)) == ams(2026, 12, 1, 17)
    assert queue_due(own, date(2026, 12, 9)) == own


def test_a_follow_up_measurement_is_due_on_the_day_named_or_months_after_the_baseline(settings):
    settings.OUTCOME_FOLLOW_UP_MONTHS = 3
    baseline = ams(2026, 11, 30, 10)
    assert measurement_follow_up_due(baseline, date(2027, 1, 4)) == ams(2027, 1, 4, 17)
    assert measurement_follow_up_due(baseline, None) == ams(2027, 2, 28, 10)
