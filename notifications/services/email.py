"""E-mail: the fallback for people a push does not reach, and the daily team digest
(docs/adr/0028). The rows are the outbox, as for pushes: recorded in the transaction that
caused them, sent by a task after commit, re-dispatched by the sweeper."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import TeamMembership, User
from backend.enqueue import enqueue_on_commit
from notifications import selectors
from notifications.emails import DIGEST, email_build
from notifications.models import EmailNotice, Notification
from signals import workflow
from signals.models import Signal

logger = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 5
EMAIL_REQUEUE_STALE_SECONDS = 120
SEND_BATCH_SIZE = 100
# Pushes of these kinds fall back to e-mail: team work, read in the workspace. A field worker's
# "your signal was picked up" stays a push: they use the app, not the workspace.
FALLBACK_KINDS = frozenset(EmailNotice.Kind.values) - {EmailNotice.Kind.TEAM_DIGEST}


def _enqueue(ids: list[int]) -> None:
    from notifications.tasks import email_notices_send  # tasks import this module

    for start in range(0, len(ids), SEND_BATCH_SIZE):
        enqueue_on_commit(email_notices_send, ids[start : start + SEND_BATCH_SIZE])


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
        _enqueue(ids)
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


def email_notices_deliver(*, notice_ids: Iterable[int]) -> None:
    """Sends the pending notices among `notice_ids` (Django's e-mail backend: console in the
    demo, SMTP in production). Rows locked by someone else are skipped, so a task that runs
    twice sends once. A send that fails stays pending for the sweeper until EMAIL_MAX_ATTEMPTS.

    Side effects: the e-mails; status, attempts, error code and sent_at of the rows."""
    with transaction.atomic():
        rows = list(
            EmailNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk__in=list(notice_ids), status=EmailNotice.Status.PENDING)
            .order_by("pk")
        )
        for row in rows:
            message = email_build(
                kind=row.kind,
                language=row.user.language,
                object_id=str(row.object_id or ""),
                counts=row.data,
            )
            row.attempts += 1
            try:
                send_mail(
                    message.subject,
                    message.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [row.user.email],
                    fail_silently=False,
                )
            except Exception as error:  # any backend error: retried by the sweeper
                row.last_error_code = type(error).__name__[:48]
                if row.attempts >= EMAIL_MAX_ATTEMPTS:
                    row.status = EmailNotice.Status.FAILED
            else:
                row.status = EmailNotice.Status.SENT
                row.sent_at = timezone.now()
            row.updated_at = timezone.now()
        EmailNotice.objects.bulk_update(
            rows, ["status", "attempts", "last_error_code", "sent_at", "updated_at"]
        )
    if rows:
        logger.info("e-mail notices delivered", extra={"count": len(rows)})


def email_notices_requeue(*, now: datetime | None = None) -> int:
    """Dispatches pending notices untouched for EMAIL_REQUEUE_STALE_SECONDS (task lost, or a
    send failed). Returns how many.

    Side effects: their updated_at; send tasks after commit."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            EmailNotice.objects.filter(
                status=EmailNotice.Status.PENDING,
                updated_at__lte=now - timedelta(seconds=EMAIL_REQUEUE_STALE_SECONDS),
            )
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:5000]
        )
        if ids:
            EmailNotice.objects.filter(pk__in=ids).update(updated_at=now)
            _enqueue(ids)
    return len(ids)


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
