"""Writes for notifications: the outbox for signal events, device registration, delivery.

`signal_event_notify` is the one entry point signals call, inside the transaction that appended
the event. It records one pending Notification per recipient device; sending happens in a task
after commit, and the database row (not the broker) is the source of truth: a beat sweeper
dispatches what is due and has no task on its way (quiet hours, retries, a broker outage).
"""

import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import TeamMembership, User
from backend.enqueue import enqueue_on_commit
from backend.errors import DomainError
from notifications import selectors
from notifications.gateways import Outcome, OutgoingPush, PushResult, push_gateway
from notifications.messages import push_message_build
from notifications.models import Device, Notification
from notifications.quiet_hours import quiet_hours_end
from signals.models import SignalEvent, Status, Urgency

logger = logging.getLogger(__name__)

Kind = Notification.Kind
Role = TeamMembership.Role

SEND_BATCH_SIZE = 500
REQUEUE_LIMIT = 5000
# A pending row untouched this long while due has lost its task.
REQUEUE_STALE_AFTER = timedelta(minutes=5)
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 30 * 60
# A provider asking us to wait longer than this is treated as asking for this long.
RETRY_AFTER_CEILING_SECONDS = 6 * 60 * 60

_DEAD_TOKEN_REASONS = {
    "unregistered": Device.DeactivationReason.UNREGISTERED,
    "sender_id_mismatch": Device.DeactivationReason.SENDER_ID_MISMATCH,
    "invalid_token": Device.DeactivationReason.INVALID_TOKEN,
}


# --- The outbox ----------------------------------------------------------------------------


def _recipients(event: SignalEvent) -> tuple[str, set[uuid.UUID]] | None:
    """Which kind of push an event is, and to which users; None when it is not pushed."""
    signal = event.signal
    urgent = signal.urgency == Urgency.URGENT
    types = SignalEvent.Type
    if event.type == types.ROUTED:
        roles = [Role.MEMBER, Role.COORDINATOR] if urgent else [Role.MEMBER]
        kind = Kind.SIGNAL_FORWARDED if event.data.get("forwarded") else Kind.SIGNAL_ROUTED
        return kind, selectors.team_member_ids(team_id=signal.team_id, roles=roles)
    if event.type == types.ASSIGNED:
        assignee = _as_uuid(event.data.get("assignee_id"))
        return Kind.SIGNAL_ASSIGNED, {assignee} if assignee else set()
    if event.type == types.TRANSITIONED and event.to_status == Status.ACKNOWLEDGED:
        return Kind.SIGNAL_ACKNOWLEDGED, {signal.created_by_id}
    if event.type == types.ESCALATED:
        return Kind.SIGNAL_ESCALATED, selectors.team_member_ids(
            team_id=signal.team_id, roles=[Role.COORDINATOR]
        )
    if event.type == types.CONSENT_WITHDRAWN:
        return Kind.CONSENT_WITHDRAWN, selectors.team_member_ids(
            team_id=signal.team_id, roles=[Role.MEMBER, Role.COORDINATOR]
        )
    return None


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def signal_event_notify(*, event: SignalEvent) -> None:
    """Records the pushes an event causes. Call it inside the transaction that appended the
    event: the rows commit or roll back with it. The person who caused the event is not told
    about it. Non-urgent pushes that fall in a recipient's quiet hours wait until they end.

    Side effects: pending Notification rows (one per recipient device; a second call for the
    same event adds none); a send task enqueued after commit for those that are due now."""
    plan = _recipients(event)
    if plan is None:
        return
    kind, user_ids = plan
    user_ids.discard(event.actor_id)
    devices = selectors.push_devices_of(user_ids=user_ids)
    if not devices:
        return
    signal = event.signal
    urgent = signal.urgency == Urgency.URGENT
    now = timezone.now()
    quiet = selectors.quiet_hours_of(user_ids={device.user_id for device in devices})
    rows = []
    for device in devices:
        not_before = now
        if not urgent:
            hours = quiet[device.user_id]
            not_before = (
                quiet_hours_end(now=now, start=hours.start, end=hours.end, tz=hours.timezone) or now
            )
        rows.append(
            Notification(
                event=event,
                kind=kind,
                object_id=signal.pk,
                device=device,
                user_id=device.user_id,
                is_urgent=urgent,
                not_before=not_before,
                dedupe_key=f"event:{event.pk}:device:{device.pk}",
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        due = list(
            Notification.objects.filter(
                dedupe_key__in=[row.dedupe_key for row in rows],
                status=Notification.Status.PENDING,
                not_before__lte=now,
            ).values_list("pk", flat=True)
        )
        _enqueue_send(due)
    logger.info(
        "notifications recorded",
        extra={"event_id": event.pk, "kind": kind, "devices": len(rows), "due_now": len(due)},
    )


def _enqueue_send(notification_ids: list[int]) -> None:
    from notifications.tasks import notifications_send

    for start in range(0, len(notification_ids), SEND_BATCH_SIZE):
        enqueue_on_commit(notifications_send, notification_ids[start : start + SEND_BATCH_SIZE])


# --- Delivery ------------------------------------------------------------------------------


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
    PUSH_MAX_ATTEMPTS, then failed; devices with a dead token deactivated."""
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
        if result.outcome == Outcome.SENT:
            row.status = Notification.Status.SENT
            row.sent_at = now
            row.provider_message_id = result.message_id
        elif result.outcome == Outcome.DEAD:
            row.status = Notification.Status.DEAD
            dead_devices.setdefault(result.error_code, []).append(row.device_id)
        elif result.outcome == Outcome.RETRY and row.attempts < settings.PUSH_MAX_ATTEMPTS:
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
    REQUEUE_STALE_AFTER); send tasks enqueued after commit."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            selectors.notifications_to_requeue(now=now, stale_after=REQUEUE_STALE_AFTER)
            .select_for_update(skip_locked=True)
            .order_by("not_before", "pk")
            .values_list("pk", flat=True)[:REQUEUE_LIMIT]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(updated_at=now)
            _enqueue_send(ids)
    if ids:
        logger.info("pending notifications dispatched by the sweeper", extra={"count": len(ids)})
    return len(ids)


# --- Devices -------------------------------------------------------------------------------


def device_register(
    *,
    user: User,
    platform: str,
    registration_token: str = "",
    installation_id: str = "",
    app_version: str = "",
    language: str | None = None,
    login_session_id: uuid.UUID | str | None = None,
) -> tuple[Device, bool]:
    """Registers this app installation for the user's pushes, or refreshes it; it is known by
    its registration token or its Firebase installation id (at least one is required). A device
    registered by another user moves to this user: a shared phone pushes to whoever logged in
    last. Returns the device and whether it is new.

    Side effects: a Device row created or updated (owner, addresses, details, last_seen_at,
    reactivated); a second row for the same installation deleted."""
    if not registration_token and not installation_id:
        raise DomainError("device_address_required")
    fields: dict[str, Any] = {
        "user": user,
        "platform": platform,
        "app_version": app_version,
        "language": language or user.language,
        "login_session_id": login_session_id,
        "is_active": True,
        "deactivated_at": None,
        "deactivation_reason": "",
        "last_seen_at": timezone.now(),
    }
    # An address the app leaves out this time keeps its earlier value.
    if registration_token:
        fields["registration_token"] = registration_token
    if installation_id:
        fields["installation_id"] = installation_id
    with transaction.atomic():
        device = _device_to_refresh(registration_token, installation_id)
        if device is None:
            try:
                with transaction.atomic():
                    return Device.objects.create(**fields), True
            except IntegrityError:  # a concurrent registration of the same installation won
                device = _device_to_refresh(registration_token, installation_id)
                if device is None:
                    raise
        if device.user_id != user.pk:
            logger.info("device moved to another user", extra={"device_id": str(device.pk)})
        for name, value in fields.items():
            setattr(device, name, value)
        device.save()
    return device, False


def _device_to_refresh(registration_token: str, installation_id: str) -> Device | None:
    by_token = by_installation = None
    if registration_token:
        by_token = (
            Device.objects.select_for_update().filter(registration_token=registration_token).first()
        )
    if installation_id:
        by_installation = (
            Device.objects.select_for_update().filter(installation_id=installation_id).first()
        )
    if by_token and by_installation and by_token.pk != by_installation.pk:
        # One installation, registered twice (say its token rotated before the app sent its
        # FID): keep one row, or it would get every push twice.
        by_installation.delete()
    return by_token or by_installation


def device_delete(*, user: User, device_id: uuid.UUID) -> None:
    """Stops pushes to one of the user's own devices. Someone else's device is not found.

    Side effects: the Device deactivated (reason deleted_by_owner)."""
    with transaction.atomic():
        device = (
            Device.objects.select_for_update()
            .filter(pk=device_id, user=user, is_active=True)
            .first()
        )
        if device is None:
            raise DomainError("device_not_found")
        _deactivate(Device.objects.filter(pk=device.pk), Device.DeactivationReason.DELETED_BY_OWNER)


def devices_remove_for_user(
    *, user: User, reason: str, login_session_id: uuid.UUID | str | None = None
) -> int:
    """Stops pushes to the user's devices: all of them, or only those registered in one login
    session (logout on one phone leaves the tablet alone). Returns how many.

    Side effects: Device rows deactivated with `reason`; their pending notifications are not
    pushed (delivery checks the device)."""
    devices = Device.objects.filter(user=user, is_active=True)
    if login_session_id is not None:
        devices = devices.filter(login_session_id=login_session_id)
    with transaction.atomic():
        return _deactivate(devices, reason)


def _deactivate(devices: Any, reason: str) -> int:
    return devices.update(
        is_active=False, deactivated_at=timezone.now(), deactivation_reason=reason
    )


def devices_prune(*, now: datetime | None = None) -> int:
    """Deletes devices (active or not) unseen for DEVICE_PRUNE_DAYS. Returns how many.

    Side effects: Device rows deleted; their notifications keep their history without a
    device."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DEVICE_PRUNE_DAYS)
    with transaction.atomic():
        deleted, _ = Device.objects.filter(last_seen_at__lt=cutoff).delete()
    if deleted:
        logger.info("unseen devices pruned", extra={"count": deleted})
    return deleted
