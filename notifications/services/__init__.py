"""Writes for notifications: the outbox for signal events, delivery, the device registry."""

from notifications.services.delivery import (
    notifications_deliver,
    notifications_requeue,
    retry_delay,
)
from notifications.services.devices import (
    device_delete,
    device_register,
    devices_prune,
    devices_remove_for_user,
)
from notifications.services.email import (
    email_fallback_for_event,
    email_fallback_for_failed_pushes,
    team_digests_send,
)
from notifications.services.email_delivery import email_notices_deliver, email_notices_requeue
from notifications.services.outbox import signal_event_notify
from notifications.services.preferences import notification_preference_set

__all__ = [
    "device_delete",
    "device_register",
    "devices_prune",
    "devices_remove_for_user",
    "email_fallback_for_event",
    "email_fallback_for_failed_pushes",
    "email_notices_deliver",
    "email_notices_requeue",
    "notification_preference_set",
    "notifications_deliver",
    "notifications_requeue",
    "retry_delay",
    "signal_event_notify",
    "team_digests_send",
]
