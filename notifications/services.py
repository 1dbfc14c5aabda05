"""Writes for notifications. `signal_event_notify` is the one entry point signals call."""

from signals.models import SignalEvent


def signal_event_notify(*, event: SignalEvent) -> None:
    """Called inside the transaction that appended `event`. Decides whether the event is
    pushed, to whom, and records the deliveries as an outbox (the notifications issue fills in
    delivery)."""
    from backend.enqueue import enqueue_on_commit
    from notifications.tasks import signal_event_fan_out

    enqueue_on_commit(signal_event_fan_out, event.pk)
