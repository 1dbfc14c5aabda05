"""The outbox: which pushes a signal event causes, recorded in the event's own transaction.

`signal_event_notify` is the one entry point, called inside the transaction that appended the
event (notifications.subscribers subscribes it to signals.hooks.event_appended). It records one
pending Notification per recipient device; sending happens in a task after commit
(notifications.services.delivery).
"""

import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import TeamRole
from notifications import selectors
from notifications.models import EmailNotice, Notification
from notifications.quiet_hours import quiet_hours_end
from notifications.services.delivery import enqueue_send
from notifications.services.email import email_fallback_for_event
from signals.models import SignalEvent, Status, Urgency

logger = logging.getLogger(__name__)

Kind = Notification.Kind


def _recipients(event: SignalEvent) -> tuple[str, set[uuid.UUID]] | None:
    """Which kind of push an event is, and to which users; None when it is not pushed."""
    signal = event.signal
    urgent = signal.urgency == Urgency.URGENT
    types = SignalEvent.Type
    if event.type == types.ROUTED:
        kind = Kind.SIGNAL_FORWARDED if event.data.get("forwarded") else Kind.SIGNAL_ROUTED
        team = signal.team
        return kind, selectors.routed_recipient_ids(
            team_id=signal.team_id, urgent=urgent, central=bool(team and team.is_central)
        )
    if event.type == types.ASSIGNED:
        assignee = _as_uuid(event.data.get("assignee_id"))
        return Kind.SIGNAL_ASSIGNED, {assignee} if assignee else set()
    if event.type == types.TRANSITIONED and event.to_status == Status.ACKNOWLEDGED:
        return Kind.SIGNAL_ACKNOWLEDGED, {signal.created_by_id}
    if event.type == types.ESCALATED:
        return Kind.SIGNAL_ESCALATED, selectors.team_member_ids(
            team_id=signal.team_id, roles=[TeamRole.COORDINATOR]
        )
    if event.type == types.CONSENT_WITHDRAWN:
        return Kind.CONSENT_WITHDRAWN, selectors.team_member_ids(
            team_id=signal.team_id, roles=[TeamRole.MEMBER, TeamRole.COORDINATOR]
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
    about it. Non-urgent pushes that fall in a recipient's quiet hours wait until they end. A
    recipient with no active device gets an e-mail instead (notifications.services.email).

    Side effects: pending Notification rows (one per recipient device; a second call for the
    same event adds none); a send task enqueued after commit for those that are due now; as
    email_fallback_for_event for recipients without a device."""
    plan = _recipients(event)
    if plan is None:
        return
    kind, user_ids = plan
    user_ids.discard(event.actor_id)
    devices = selectors.push_devices_of(user_ids=user_ids)
    unreached = user_ids - {device.user_id for device in devices}
    if unreached:
        email_fallback_for_event(
            event_id=event.pk,
            signal_id=event.signal_id,
            kind=kind,
            user_ids=unreached,
            reason=EmailNotice.Reason.NO_DEVICE,
        )
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
        enqueue_send(due)
    logger.info(
        "notifications recorded",
        extra={"event_id": event.pk, "kind": kind, "devices": len(rows), "due_now": len(due)},
    )
