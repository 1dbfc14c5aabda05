"""What signals tells the layers above it, without importing them (docs/adr/0020, 0037).

`event_appended` is sent by the one write path (signals.write_path) right after it appends a
SignalEvent, inside the service's transaction, with `event=` the new row. It is Django's own
`Signal`, used so that nothing is lost: receivers connect with `weak=False` and a
`dispatch_uid` (`connect` below), and it is sent with `send`, never `send_robust`, so a receiver
that raises rolls the whole change back and an event and what follows from it commit together
(docs/adr/0005). What signals asks of the layers above (and waits for an answer) is not an
event: see signals.providers."""

from collections.abc import Callable

from django.dispatch import Signal

from signals.models import SignalEvent

event_appended = Signal()


def connect(receiver: Callable[..., None], *, uid: str) -> None:
    """Connects `receiver(sender, event, **kwargs)` to `event_appended` for good: held strongly
    (a receiver defined in a closure stays) and once per `uid` (AppConfig.ready can run twice)."""
    event_appended.connect(receiver, sender=SignalEvent, weak=False, dispatch_uid=uid)


def send(event: SignalEvent) -> None:
    """Calls every receiver in the order they connected; the first exception propagates.

    Side effects: whatever the receivers do, in the caller's transaction."""
    event_appended.send(sender=SignalEvent, event=event)
