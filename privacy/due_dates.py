"""Due dates of data-subject requests. Pure: no database."""

import calendar
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def one_month_after(moment: datetime) -> datetime:
    """The same wall-clock time one calendar month later in the local time zone (AVG art. 12(3):
    "within one month of receipt"). A day the next month lacks becomes its last day: received
    31 January, due 28 (or 29) February. Returns an aware datetime in the local zone."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    # Rebuilding from the naive wall-clock time re-resolves the UTC offset across DST changes.
    naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
