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
from notifications.services.outbox import signal_event_notify

__all__ = [
    "device_delete",
    "device_register",
    "devices_prune",
    "devices_remove_for_user",
    "notifications_deliver",
    "notifications_requeue",
    "retry_delay",
    "signal_event_notify",
]
