"""E-mail: the fallback for people a push does not reach, and the daily team digest
(docs/adr/0028). The rows are the outbox, as for pushes: recorded in the transaction that
caused them, sent by a task after commit (notifications.services.email_delivery),
re-dispatched by the sweeper."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import TeamMembership, User
from notifications import selectors
from notifications.emails import DIGEST
from notifications.models import EmailNotice, Notification
from notifications.services.email_delivery import enqueue_email_send
from signals import workflow
from signals.models import Signal

logger = logging.getLogger(__name__)

# Pushes of these kinds fall back to e-mail: team work, read in the workspace. A field worker's
# "your signal was picked up" stays a push: they use the app, not the workspace.
FALLBACK_KINDS = frozenset(EmailNotice.Kind.values) - {EmailNotice.Kind.TEAM_DIGEST}


def _record(notices: list[EmailNotice]) -> int:
    """Saves the notices whose dedupe key is new and enqueues their sending; returns how many
    were new (a key seen before adds nothing, so a repeated call records nothing)."""
    keys = [n.dedupe_key for n in notices]
    with transaction.atomic():
        seen = set(
            EmailNotice.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        fresh = [n for n in notices if n.dedupe_key not in seen]
        if not fresh:
            return 0
        EmailNotice.objects.bulk_create(fresh, ignore_conflicts=True)  # a concurrent run won
        ids = list(
            EmailNotice.objects.filter(
                dedupe_key__in=[n.dedupe_key for n in fresh], status=EmailNotice.Status.PENDING
            ).values_list("pk", flat=True)
        )
        enqueue_email_send(ids)
    return len(fresh)


def _event_key(event_id: int, user_id: Any) -> str:
    # One e-mail per event and person, whether no device or failed pushes caused it.
    return f"event:{event_id}:user:{user_id}"


def email_fallback_for_event(
    *, event_id: int, signal_id: UUID, kind: str, user_ids: Iterable[UUID], reason: str
) -> int:
    """Records the e-mails for the people an event's push does not reach (`reason`: no_device
    or push_failed), for the kinds in FALLBACK_KINDS. Returns how many were recorded.

    Side effects: pending EmailNotice rows (once per event and person); send tasks after
    commit."""
    if kind not in FALLBACK_KINDS:
        return 0
    people = User.objects.filter(pk__in=list(user_ids), is_active=True).exclude(email="")
    return _record(
        [
            EmailNotice(
                user=person,
                event_id=event_id,
                kind=kind,
                reason=reason,
                object_id=signal_id,
                dedupe_key=_event_key(event_id, person.pk),
            )
            for person in people
        ]
    )


def email_fallback_for_failed_pushes(*, rows: Iterable[Notification]) -> int:
    """Pushes that ended failed or dead (no retry left, or the device is gone): their person is
    e-mailed instead, once per event. Call inside the transaction that recorded the outcome.

    Side effects: as email_fallback_for_event (reason push_failed)."""
    ended = [
        row
        for row in rows
        if row.event_id and row.status in (Notification.Status.FAILED, Notification.Status.DEAD)
    ]
    if not ended:
        return 0
    delivered = set(
        Notification.objects.filter(
            event_id__in={row.event_id for row in ended}, status=Notification.Status.SENT
        ).values_list("event_id", "user_id")
    )
    due = 0
    for row in ended:
        if (row.event_id, row.user_id) in delivered:
            continue  # another of the person's devices got it
        due += email_fallback_for_event(
            event_id=row.event_id,
            signal_id=row.object_id,
            kind=row.kind,
            user_ids=[row.user_id],
            reason=EmailNotice.Reason.PUSH_FAILED,
        )
    return due


def _digest_counts(now: datetime) -> dict[UUID, dict[str, int]]:
    since = now - timedelta(days=1)
    open_statuses = list(workflow.OPEN_FOR_TEAM)
    rows = (
        Signal.objects.filter(
            team__isnull=False, status__in=open_statuses, restricted_at__isnull=True
        )
        .values("team_id")
        .annotate(
            open=Count("pk"),
            new=Count("pk", filter=Q(routed_at__gte=since)),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
        )
    )
    return {row["team_id"]: {k: row[k] for k in ("new", "open", "overdue")} for row in rows}


def team_digests_send(*, now: datetime | None = None) -> int:
    """The daily digest: per active team with open signals, one e-mail to each active member
    and coordinator who has not turned it off (NotificationPreference.daily_digest), with the
    counts of new, open and overdue signals. Once per person, team and day, however often it
    runs. Returns how many were recorded.

    Side effects: pending EmailNotice rows (reason digest); send tasks after commit."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    counts = _digest_counts(now)
    opted_out = selectors.digest_opted_out_ids()
    memberships = (
        TeamMembership.objects.filter(
            team_id__in=list(counts), team__is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .exclude(user_id__in=opted_out)
    )
    notices = [
        EmailNotice(
            user_id=m.user_id,
            team_id=m.team_id,
            kind=DIGEST,
            reason=EmailNotice.Reason.DIGEST,
            data=counts[m.team_id],
            dedupe_key=f"digest:{m.team_id}:user:{m.user_id}:{day}",
        )
        for m in memberships
    ]
    recorded = _record(notices)
    logger.info("team digests recorded", extra={"teams": len(counts), "count": recorded})
    return recorded
