"""How a lower layer tells a higher one that something happened, without importing it.

A lower app declares a `Hook[Payload]` next to the code that publishes it; a higher app
subscribes a function in its AppConfig.ready. `publish` calls every subscriber synchronously,
in the order they subscribed, in the caller's transaction, and lets their exceptions propagate:
a subscriber that cannot do its part rolls the caller's work back with it (docs/adr/0005,
docs/adr/0020). This is deliberately not django.dispatch.Signal: no weak references (a
subscriber never disappears because nothing else held it), no `send_robust` that swallows a
failure, one typed payload instead of keyword arguments, no sender filtering.
`signals.hooks.event_appended` moved to Django's Signal with those risks handled (weak=False,
one dispatch_uid, `send`); a question a lower app asks is a backend.providers.Provider
(docs/adr/0037).
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Payload = TypeVar("Payload")


class Hook(Generic[Payload]):
    """One kind of event, published by one layer and handled by the layers above it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers: list[Callable[[Payload], None]] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._subscribers)} subscriber(s)>"

    @property
    def subscribers(self) -> tuple[Callable[[Payload], None], ...]:
        return tuple(self._subscribers)

    def subscribe(self, subscriber: Callable[[Payload], None]) -> Callable[[Payload], None]:
        """Adds `subscriber` after those already there. Subscribing the same function again
        changes nothing (AppConfig.ready can run twice, e.g. in tests), so each runs once per
        publish. Returns the function, so this also works as a decorator."""
        with self._lock:
            if subscriber not in self._subscribers:
                self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Callable[[Payload], None]) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def publish(self, payload: Payload) -> None:
        """Calls each subscriber with `payload`, in subscription order. The first exception
        stops the rest and propagates to the publisher.

        Side effects: whatever the subscribers do, in the caller's transaction."""
        for subscriber in self.subscribers:
            subscriber(payload)

    @contextmanager
    def subscribed(self, subscriber: Callable[[Payload], None]) -> Iterator[None]:
        """Subscribes for the duration of a block (tests, one-off tooling)."""
        added = subscriber not in self._subscribers
        self.subscribe(subscriber)
        try:
            yield
        finally:
            if added:
                self.unsubscribe(subscriber)
