"""Every deadline rule, in one module (docs/adr/0007, 0037). Pure: no database, no clock (the
caller passes `now`). Working hours are Mon-Fri 09:00-17:00 Europe/Amsterdam; public holidays
are not modelled yet.

- the response deadlines (the service level per urgency: acknowledge, first contact), from the
  admins' DeadlinePolicy;
- the queue's deadline of each status (`status_due`), which a referral's follow-up date can
  bring forward (`queue_due`);
- a follow-up date (a referral's, a measurement's), due at the end of that working day;
- a follow-up measurement, due on the day named or some months after the baseline;
- a data-subject request, due one calendar month after receipt (AVG art. 12(3)).

Signals is the lowest app that keeps deadlines, so initiatives, outcomes and privacy import these
rules from here; the queue's extra deadlines of the apps above arrive through
signals.providers.queue_deadlines under the kinds named here."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings

from signals.models import Status

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY_START = time(9)
DAY_END = time(17)
# A follow-up date falls due at the end of that working day.
FOLLOW_UP_AT = DAY_END
# Without a DeadlinePolicy for the urgency (admins deleted it): calendar hours of the normal one.
FALLBACK_ACKNOWLEDGE_HOURS = 24
FALLBACK_FIRST_CONTACT_HOURS = 72

# The queue's extra deadlines: the annotation of each kind, and the kinds the apps above keep.
QUEUE_DEADLINE_PREFIX = "deadline_"
MEASUREMENT_FOLLOW_UP = "outcome_follow_up"


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


class ResponsePolicy(Protocol):
    """What the response deadlines read of a signals.models.DeadlinePolicy."""

    acknowledge_within_hours: int
    first_contact_within_hours: int
    working_hours: bool


@dataclass(frozen=True)
class ResponseDeadlines:
    acknowledge_due_at: datetime
    first_contact_due_at: datetime


def response_deadlines(start: datetime, policy: ResponsePolicy | None) -> ResponseDeadlines:
    """When a routed signal must be acknowledged and the resident first contacted, counted from
    `start` by the urgency's policy (None: the fallback in calendar hours)."""
    if policy is None:
        return ResponseDeadlines(
            acknowledge_due_at=add_calendar_hours(start, FALLBACK_ACKNOWLEDGE_HOURS),
            first_contact_due_at=add_calendar_hours(start, FALLBACK_FIRST_CONTACT_HOURS),
        )
    return ResponseDeadlines(
        acknowledge_due_at=deadline(
            start, policy.acknowledge_within_hours, working_hours=policy.working_hours
        ),
        first_contact_due_at=deadline(
            start, policy.first_contact_within_hours, working_hours=policy.working_hours
        ),
    )


def review_date(now: datetime) -> datetime:
    """When a team looks again at a signal it is working: FOLLOW_UP_REVIEW_DAYS from now."""
    return now + timedelta(days=settings.FOLLOW_UP_REVIEW_DAYS)


def status_due(status: str, *, first_contact_due_at: datetime | None, now: datetime) -> datetime:
    """The queue's deadline of a signal entering (or staying in) a status a team works on:
    acknowledged, the first-contact deadline (else the review date); contacted and in
    follow-up, the review date; closed and declined, now (the queue keeps no work for them)."""
    if status in (Status.CLOSED, Status.DECLINED):
        return now
    if status == Status.ACKNOWLEDGED and first_contact_due_at is not None:
        return first_contact_due_at
    return review_date(now)


def follow_up_day_due(day: date) -> datetime:
    """A follow-up date (a referral's, a measurement's) falls due at the end of that working
    day."""
    return datetime.combine(day, FOLLOW_UP_AT, tzinfo=AMSTERDAM)


def queue_due(own: datetime, follow_up_on: date | None) -> datetime:
    """The queue's deadline: the status's own, or the referral's follow-up if that is sooner."""
    if follow_up_on is None:
        return own
    return min(own, follow_up_day_due(follow_up_on))


def measurement_follow_up_due(baseline_at: datetime, follow_up_on: date | None) -> datetime:
    """When the follow-up measurement falls due: the end of the working day named, else
    OUTCOME_FOLLOW_UP_MONTHS calendar months after the baseline (Amsterdam wall-clock time)."""
    if follow_up_on is not None:
        return follow_up_day_due(follow_up_on)
    local = baseline_at.astimezone(AMSTERDAM)
    return local + relativedelta(months=settings.OUTCOME_FOLLOW_UP_MONTHS)


def subject_request_due(received_at: datetime) -> datetime:
    """The same wall-clock time one calendar month after receipt in the local time zone (AVG
    art. 12(3): "within one month of receipt"). A day the next month lacks becomes its last
    day: received 31 January, due 28 (or 29) February. Returns an aware datetime in the local
    zone."""
    if received_at.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    # Arithmetic on an aware datetime keeps the wall-clock time; zoneinfo then gives the new
    # date its own UTC offset, so the due time is the same hour across a DST change.
    return received_at.astimezone(ZoneInfo(settings.TIME_ZONE)) + relativedelta(months=1)
