"""Delivery: claiming pending notifications, pushing them, recording each answer, the sweeper.

The database row (not the broker) is the source of truth: `not_before` holds quiet hours and
retry back-off, and the beat sweeper dispatches what is due and has no task on its way
(docs/adr/0012-push-notifications.md). A push never leaves inside a transaction: a short
transaction claims the rows (status `sending`, one more attempt, the claim's token and time),
the push goes out with no row lock held, and a second short transaction records the answers
of that attempt only (docs/adr/0023-claimed-delivery-and-collapse-keys.md).
"""

import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from firebase_admin import messaging

from backend.enqueue import enqueue_on_commit
from notifications import selectors
from notifications.gateways import OutgoingPush, PushOutcome, PushResult, push_gateway
from notifications.messages import collapse_id, push_message_build
from notifications.models import Device, Notification
from notifications.services.email import email_fallback_for_failed_pushes
from notifications.services.recording import record_with_retries

logger = logging.getLogger(__name__)

Status = Notification.Status

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
_RECORDED_FIELDS = ["status", "last_error_code", "provider_message_id", "sent_at", "not_before"]


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


def notifications_deliver(
    *, notification_ids: Iterable[int], claim_token: str | None = None
) -> None:
    """Pushes the pending, due notifications among `notification_ids`, outside any transaction.

    `claim_token` names the claim (the send task passes its own task id): rows still `sending`
    under this token were claimed by an earlier run of the same task that died (a killed pool
    child, a worker whose task the broker handed out again) and are claimed again at once. Rows
    claimed under another token are left alone, so a task that runs twice pushes once. A row
    whose device was removed, deactivated or moved to another user is not pushed; a row that
    used up PUSH_MAX_ATTEMPTS claims fails.

    Side effects: the claim (status sending, attempts + 1, claim_token, claimed_at) committed
    before the push; the push; then status, error code, provider message id and sent_at (a
    failure only for this attempt: one that comes back after the row was claimed again is
    dropped; a success whenever the row is still open); on a retryable answer the row is
    pending again with `not_before` ahead (the sweeper re-dispatches it) until
    PUSH_MAX_ATTEMPTS, then failed; devices with a dead token deactivated; a push that ended
    failed or dead as notifications.services.email.email_fallback_for_failed_pushes."""
    token = claim_token or uuid.uuid4().hex
    claimed = _claim(list(notification_ids), token=token)
    if not claimed:
        return
    pushes = [OutgoingPush(row.pk, _message(row)) for row in claimed]
    results = push_gateway().send(pushes)
    counts = record_with_retries(lambda: _record(claimed, results), what="push answers")
    logger.info("notifications delivered", extra={"outcome": counts})


def _claim(notification_ids: list[int], *, token: str) -> list[Notification]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("device")
            .filter(pk__in=notification_ids)
            .filter(
                Q(status=Status.PENDING, not_before__lte=now)
                | Q(status=Status.SENDING, claim_token=token)
            )
            .order_by("pk")
        )
        claimed = []
        for row in rows:
            device = row.device
            if device is None or not device.is_active or device.user_id != row.user_id:
                row.status, row.last_error_code = Status.DEAD, "device_inactive"
            elif row.attempts >= settings.PUSH_MAX_ATTEMPTS:
                # Only a claim that never recorded its answer gets here (a task that dies on
                # every run must not push for ever).
                row.status, row.last_error_code = Status.FAILED, "attempts_exhausted"
            else:
                row.status = Status.SENDING
                row.attempts += 1
                row.claim_token = token
                row.claimed_at = now
                claimed.append(row)
            row.updated_at = now
        Notification.objects.bulk_update(
            rows,
            ["status", "last_error_code", "attempts", "claim_token", "claimed_at", "updated_at"],
        )
        # Nobody left out: a push that can no longer go out becomes an e-mail (docs/adr/0028).
        email_fallback_for_failed_pushes(rows=rows)
    return claimed


def _message(row: Notification) -> messaging.Message:
    device = row.device  # claimed rows have an active device
    return push_message_build(
        kind=row.kind,
        object_id=str(row.object_id),
        language=device.language,
        urgent=row.is_urgent,
        collapse=collapse_id(event_id=row.event_id, notification_id=row.pk),
        installation_id=device.installation_id,
        registration_token=device.registration_token,
    )


def _record(claimed: list[Notification], results: list[PushResult]) -> dict[str, int]:
    """Records the answers of this attempt; returns how many rows ended in each status."""
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        current = Notification.objects.select_for_update().in_bulk([row.pk for row in claimed])
        answered = []
        for claim, result in zip(claimed, results, strict=True):
            row = current.get(claim.pk)
            # The attempt number fences a failure: the sweeper may have handed the claim out
            # again (it stays this attempt while pending, a new one once claimed), and only
            # that attempt's answer decides. A success is a fact about the phone: it ends the
            # row whichever attempt is on its way, so nothing is pushed again.
            is_open = row is not None and row.status in (Status.SENDING, Status.PENDING)
            is_ours = result.outcome == PushOutcome.SENT or (
                row is not None and row.attempts == claim.attempts
            )
            if is_open and is_ours:
                answered.append((row, result))
            else:
                counts["late"] = counts.get("late", 0) + 1
        _apply_answers(answered, now)
        rows = [row for row, _ in answered]
        for row in rows:
            row.updated_at = now
            counts[row.status] = counts.get(row.status, 0) + 1
        Notification.objects.bulk_update(rows, [*_RECORDED_FIELDS, "updated_at"])
        email_fallback_for_failed_pushes(rows=rows)
    return counts


def _apply_answers(answered: list[tuple[Notification, PushResult]], now: datetime) -> None:
    dead_devices: dict[str, list[uuid.UUID]] = {}
    retrying: list[tuple[Notification, float | None]] = []
    for row, result in answered:
        row.last_error_code = result.error_code
        if result.outcome == PushOutcome.SENT:
            row.status = Status.SENT
            row.sent_at = now
            row.provider_message_id = result.message_id
        elif result.outcome == PushOutcome.DEAD:
            row.status = Status.DEAD
            if row.device_id is not None:
                dead_devices.setdefault(result.error_code, []).append(row.device_id)
        elif result.outcome == PushOutcome.RETRY and row.attempts < settings.PUSH_MAX_ATTEMPTS:
            row.status = Status.PENDING
            retrying.append((row, result.retry_after))
        else:
            row.status = Status.FAILED
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
    quiet hours or back-off, or their task was lost), and hands out again claims whose task was
    lost (`sending` for longer than the lease, PUSH_REQUEUE_STALE_SECONDS). Returns how many.

    Side effects: expired claims pending again (their attempt stays: a late answer of it is
    still recorded until the row is claimed again); `updated_at` of the dispatched rows set to
    now (so they are not dispatched again for PUSH_REQUEUE_STALE_SECONDS); send tasks enqueued
    after commit."""
    now = now or timezone.now()
    stale_after = timedelta(seconds=settings.PUSH_REQUEUE_STALE_SECONDS)
    with transaction.atomic():
        expired = list(
            selectors.notifications_with_expired_claims(now=now, lease=stale_after)
            .select_for_update(skip_locked=True)
            .order_by("claimed_at", "pk")
            .values_list("pk", flat=True)[:REQUEUE_LIMIT]
        )
        ids = list(
            selectors.notifications_to_requeue(now=now, stale_after=stale_after)
            .select_for_update(skip_locked=True)
            .order_by("not_before", "pk")
            .values_list("pk", flat=True)[: REQUEUE_LIMIT - len(expired)]
        )
        Notification.objects.filter(pk__in=expired).update(status=Status.PENDING, updated_at=now)
        Notification.objects.filter(pk__in=ids).update(updated_at=now)
        enqueue_send(expired + ids)
    if expired:
        logger.warning("push claims expired; handed out again", extra={"count": len(expired)})
    if ids:
        logger.info("pending notifications dispatched by the sweeper", extra={"count": len(ids)})
    return len(expired) + len(ids)
