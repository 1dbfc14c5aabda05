"""Delivery: pushing pending notifications, recording each answer, and the sweeper.

The database row (not the broker) is the source of truth: `not_before` holds quiet hours and
retry back-off, and the beat sweeper dispatches what is due and has no task on its way
(docs/adr/0012-push-notifications.md).
"""

import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.enqueue import enqueue_on_commit
from notifications import selectors
from notifications.gateways import OutgoingPush, PushOutcome, PushResult, push_gateway
from notifications.messages import push_message_build
from notifications.models import Device, Notification
from notifications.services.email import email_fallback_for_failed_pushes

logger = logging.getLogger(__name__)

SEND_BATCH_SIZE = 500
REQUEUE_LIMIT = 5000
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 30 * 60
# A provider asking us to wait longer than this is treated as asking for this long.
RETRY_AFTER_CEILING_SECONDS = 6 * 60 * 60

_DEAD_TOKEN_REASONS = {
    "unregistered": Device.DeactivationReason.UNREGISTERED,
    "sender_id_mismatch": Device.DeactivationReason.SENDER_ID_MISMATCH,
    "invalid_token": Device.DeactivationReason.INVALID_TOKEN,
}


def enqueue_send(notification_ids: list[int]) -> None:
    """Enqueues send tasks for these rows after commit, in batches."""
    from notifications.tasks import notifications_send  # tasks import this module

    for start in range(0, len(notification_ids), SEND_BATCH_SIZE):
        enqueue_on_commit(notifications_send, notification_ids[start : start + SEND_BATCH_SIZE])


def retry_delay(*, attempts: int, retry_after: float | None) -> float:
    """Exponential back-off with jitter (half to all of the step, so a burst of failures does
    not come back at once), never earlier than the provider's Retry-After."""
    step = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))
    delay = secrets.SystemRandom().uniform(step / 2, step)
    if retry_after is not None:
        delay = max(delay, min(retry_after, RETRY_AFTER_CEILING_SECONDS))
    return delay


def notifications_deliver(*, notification_ids: Iterable[int]) -> None:
    """Pushes the pending, due notifications among `notification_ids`. Rows are locked and
    rows locked by someone else are skipped, so a task that runs twice pushes once. A row whose
    device was removed, deactivated or moved to another user is not pushed.

    Side effects: the push; Notification status, attempts, error code, provider message id and
    sent_at; on a retryable answer `not_before` moves ahead (the sweeper re-dispatches it) until
    PUSH_MAX_ATTEMPTS, then failed; devices with a dead token deactivated; a push that ended
    failed or dead as notifications.services.email.email_fallback_for_failed_pushes."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("device")
            .filter(
                pk__in=list(notification_ids),
                status=Notification.Status.PENDING,
                not_before__lte=now,
            )
            .order_by("pk")
        )
        if not rows:
            return
        sendable = []
        for row in rows:
            device = row.device
            if device is None or not device.is_active or device.user_id != row.user_id:
                row.status = Notification.Status.DEAD
                row.last_error_code = "device_inactive"
            else:
                sendable.append(row)
        pushes = [
            OutgoingPush(
                row.pk,
                push_message_build(
                    kind=row.kind,
                    object_id=str(row.object_id),
                    language=row.device.language,
                    urgent=row.is_urgent,
                    installation_id=row.device.installation_id,
                    registration_token=row.device.registration_token,
                ),
            )
            for row in sendable
        ]
        results = push_gateway().send(pushes) if pushes else []
        _record_results(sendable, results)
        for row in rows:
            row.updated_at = timezone.now()
        Notification.objects.bulk_update(
            rows,
            [
                "status",
                "attempts",
                "last_error_code",
                "provider_message_id",
                "sent_at",
                "not_before",
                "updated_at",
            ],
        )
        # Nobody left out: a push that ended failed or dead becomes an e-mail (docs/adr/0028).
        email_fallback_for_failed_pushes(rows=rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    logger.info("notifications delivered", extra={"outcome": counts})


def _record_results(rows: list[Notification], results: list[PushResult]) -> None:
    now = timezone.now()
    dead_devices: dict[str, list[uuid.UUID]] = {}
    retrying: list[tuple[Notification, float | None]] = []
    for row, result in zip(rows, results, strict=True):
        row.attempts += 1
        row.last_error_code = result.error_code
        if result.outcome == PushOutcome.SENT:
            row.status = Notification.Status.SENT
            row.sent_at = now
            row.provider_message_id = result.message_id
        elif result.outcome == PushOutcome.DEAD:
            row.status = Notification.Status.DEAD
            dead_devices.setdefault(result.error_code, []).append(row.device_id)
        elif result.outcome == PushOutcome.RETRY and row.attempts < settings.PUSH_MAX_ATTEMPTS:
            retrying.append((row, result.retry_after))
        else:
            row.status = Notification.Status.FAILED
    if retrying:
        # One delay for the batch: its rows go back out together.
        delay = retry_delay(
            attempts=max(row.attempts for row, _ in retrying),
            retry_after=max((after for _, after in retrying if after is not None), default=None),
        )
        for row, _ in retrying:
            row.not_before = now + timedelta(seconds=delay)
    for code, device_ids in dead_devices.items():
        Device.objects.filter(pk__in=device_ids, is_active=True).update(
            is_active=False,
            deactivated_at=now,
            deactivation_reason=_DEAD_TOKEN_REASONS.get(
                code, Device.DeactivationReason.UNREGISTERED
            ),
        )


def notifications_requeue(*, now: datetime | None = None) -> int:
    """Dispatches pending notifications that are due and have no task on its way (deferred by
    quiet hours or back-off, or their task was lost). Returns how many.

    Side effects: `updated_at` of those rows set to now (so they are not dispatched again for
    PUSH_REQUEUE_STALE_SECONDS); send tasks enqueued after commit."""
    now = now or timezone.now()
    stale_after = timedelta(seconds=settings.PUSH_REQUEUE_STALE_SECONDS)
    with transaction.atomic():
        ids = list(
            selectors.notifications_to_requeue(now=now, stale_after=stale_after)
            .select_for_update(skip_locked=True)
            .order_by("not_before", "pk")
            .values_list("pk", flat=True)[:REQUEUE_LIMIT]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(updated_at=now)
            enqueue_send(ids)
    if ids:
        logger.info("pending notifications dispatched by the sweeper", extra={"count": len(ids)})
    return len(ids)
