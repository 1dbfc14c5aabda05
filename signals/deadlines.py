"""Deadline arithmetic. Pure. Working hours are Mon-Fri 09:00-17:00 Europe/Amsterdam; public
holidays are not modelled yet (docs/adr/0007-deadlines-in-working-hours.md)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY_START = time(9)
DAY_END = time(17)


def add_calendar_hours(start: datetime, hours: int) -> datetime:
    return start + timedelta(hours=hours)


def add_working_hours(start: datetime, hours: int) -> datetime:
    """`hours` of working time after `start` (aware). Time outside working hours does not
    count: a signal received on Friday evening with 4 hours starts counting on Monday 09:00."""
    local = start.astimezone(AMSTERDAM)
    remaining = timedelta(hours=hours)
    while True:
        if local.weekday() >= 5 or local.time() >= DAY_END:
            local = _next_day_start(local)
            continue
        if local.time() < DAY_START:
            local = local.replace(hour=9, minute=0, second=0, microsecond=0)
        day_end = local.replace(hour=17, minute=0, second=0, microsecond=0)
        available = day_end - local
        if remaining <= available:
            return (local + remaining).astimezone(start.tzinfo)
        remaining -= available
        local = _next_day_start(local)


def _next_day_start(local: datetime) -> datetime:
    following = (local + timedelta(days=1)).date()
    return datetime.combine(following, DAY_START, tzinfo=AMSTERDAM)


def deadline(start: datetime, hours: int, *, working_hours: bool) -> datetime:
    return add_working_hours(start, hours) if working_hours else add_calendar_hours(start, hours)
