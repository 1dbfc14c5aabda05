from datetime import datetime

import pytest

from signals.deadlines import AMSTERDAM, add_working_hours, deadline


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
