"""Due dates of data-subject requests. Pure: no database."""

from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings


def one_month_after(moment: datetime) -> datetime:
    """The same wall-clock time one calendar month later in the local time zone (AVG art. 12(3):
    "within one month of receipt"). A day the next month lacks becomes its last day: received
    31 January, due 28 (or 29) February. Returns an aware datetime in the local zone."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    # Arithmetic on an aware datetime keeps the wall-clock time; zoneinfo then gives the new
    # date its own UTC offset, so the due time is the same hour across a DST change.
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)) + relativedelta(months=1)
