"""Quiet hours, pure: no database. A period may wrap midnight (22:00-07:00)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones


def quiet_hours_end(*, now: datetime, start: time, end: time, tz: str) -> datetime | None:
    """The moment the quiet period that contains `now` ends, or None when `now` is outside
    quiet hours (or start == end: no quiet hours). `now` must be aware."""
    if start == end:
        return None
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    today = local.date()
    if start < end:  # a period within one day, e.g. 12:00-13:30
        if start <= clock < end:
            return datetime.combine(today, end, tzinfo=zone)
        return None
    if clock >= start:  # evening part of a period that wraps midnight
        return datetime.combine(today + timedelta(days=1), end, tzinfo=zone)
    if clock < end:  # early-morning part
        return datetime.combine(today, end, tzinfo=zone)
    return None


def is_known_timezone(name: str) -> bool:
    return name in available_timezones()
