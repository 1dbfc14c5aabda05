"""Reads for notifications."""

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import NamedTuple
from uuid import UUID

from django.db.models import F, Q, QuerySet

from accounts.models import TeamMembership, TeamRole, User
from backend.backlog import Backlog, backlog_of
from notifications.models import Device, EmailNotice, Notification, NotificationPreference


class QuietHours(NamedTuple):
    start: time
    end: time
    timezone: str


DEFAULT_QUIET_HOURS = QuietHours(
    NotificationPreference.DEFAULT_START,
    NotificationPreference.DEFAULT_END,
    NotificationPreference.DEFAULT_TIMEZONE,
)


def devices_of(*, user: User) -> QuerySet[Device]:
    """The user's active devices, most recently seen first."""
    return Device.objects.filter(user=user, is_active=True).order_by("-last_seen_at")


def team_member_ids(*, team_id: UUID | None, roles: Iterable[str]) -> set[UUID]:
    if team_id is None:
        return set()
    return set(
        TeamMembership.objects.filter(team_id=team_id, role__in=list(roles)).values_list(
            "user_id", flat=True
        )
    )


def routed_recipient_ids(*, team_id: UUID | None, urgent: bool, central: bool) -> set[UUID]:
    """Who hears of a signal routed to a team: its active members (and coordinators when the
    signal is urgent). Nobody is left out: where the team has no active member, or it is the
    central team, the coordinators hear of every signal too."""
    if team_id is None:
        return set()
    active = TeamMembership.objects.filter(team_id=team_id, user__is_active=True)
    roles = [TeamRole.MEMBER]
    if urgent or central or not active.filter(role=TeamRole.MEMBER).exists():
        roles.append(TeamRole.COORDINATOR)
    return set(active.filter(role__in=roles).values_list("user_id", flat=True))


def push_devices_of(*, user_ids: Iterable[UUID]) -> list[Device]:
    """Active devices of active users: where a push for these users goes."""
    return list(
        Device.objects.filter(
            user_id__in=list(user_ids), is_active=True, user__is_active=True
        ).order_by("user_id", "created_at")
    )


def quiet_hours_of(*, user_ids: Iterable[UUID]) -> dict[UUID, QuietHours]:
    """Quiet hours per user; users without preferences get DEFAULT_QUIET_HOURS."""
    ids = list(user_ids)
    found = {
        pref.user_id: QuietHours(pref.quiet_hours_start, pref.quiet_hours_end, pref.timezone)
        for pref in NotificationPreference.objects.filter(user_id__in=ids)
    }
    return {user_id: found.get(user_id, DEFAULT_QUIET_HOURS) for user_id in ids}


class Preference(NamedTuple):
    quiet_hours_start: time
    quiet_hours_end: time
    timezone: str
    daily_digest: bool


def preference_of(*, user: User) -> Preference:
    """The user's notification settings, or the defaults when they never set any."""
    found = NotificationPreference.objects.filter(user=user).first()
    if found is None:
        return Preference(*DEFAULT_QUIET_HOURS, daily_digest=True)
    return Preference(
        found.quiet_hours_start, found.quiet_hours_end, found.timezone, found.daily_digest
    )


def digest_opted_out_ids() -> QuerySet:
    """Users who turned the daily digest off (a subquery)."""
    return NotificationPreference.objects.filter(daily_digest=False).values("user_id")


def notifications_to_requeue(*, now: datetime, stale_after: timedelta) -> QuerySet[Notification]:
    """Pending notifications that are due but have no task on its way: either they were
    deferred (quiet hours, retry back-off: `not_before` lay ahead when the row was last
    touched) or their task was lost (not touched for `stale_after`: broker down at commit,
    worker killed)."""
    return Notification.objects.filter(
        status=Notification.Status.PENDING, not_before__lte=now
    ).filter(Q(not_before__gt=F("updated_at")) | Q(updated_at__lte=now - stale_after))


def notifications_with_expired_claims(*, now: datetime, lease: timedelta) -> QuerySet[Notification]:
    """Notifications claimed for sending longer than `lease` ago: their task died before it
    recorded an answer (and the broker did not hand the same task out again)."""
    return Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lte=now - lease
    )


# The outbox's channels as the metrics name them (docs/adr/0045).
OUTBOX_MODELS: dict[str, type[Notification] | type[EmailNotice]] = {
    "push": Notification,
    "email": EmailNotice,
}
# A row waiting to go out: not yet claimed, or claimed and not yet answered.
OUTBOX_WAITING = ("pending", "sending")
# What went wrong for good: pushes failed after their attempts or to a device that is gone, and
# e-mails the relay refused after theirs.
OUTBOX_FAILED = {"push": ("failed", "dead"), "email": ("failed",)}


def outbox_backlog() -> dict[tuple[str, str], Backlog]:
    """Per (channel, status) of OUTBOX_WAITING: the rows and the oldest one's creation time.
    Reads the partial indexes on pending and sending rows; counts only, no access-log row."""
    return {
        (channel, status): backlog_of(model.objects.filter(status=status), "created_at")
        for channel, model in OUTBOX_MODELS.items()
        for status in OUTBOX_WAITING
    }


def outbox_failures() -> dict[tuple[str, str], int]:
    """Per (channel, status): rows that failed for good (OUTBOX_FAILED) and, as `retrying`,
    pending rows whose last attempt failed. The failed rows are read through the partial
    indexes of migration 0007, so the count stays cheap however many rows were sent."""
    counts: dict[tuple[str, str], int] = {}
    for channel, model in OUTBOX_MODELS.items():
        for status in OUTBOX_FAILED[channel]:
            counts[(channel, status)] = model.objects.filter(status=status).count()
        counts[(channel, "retrying")] = (
            model.objects.filter(status="pending").exclude(last_error_code="").count()
        )
    return counts
