"""What signals tells the layers above it, without importing them (docs/adr/0020).

`event_appended` is published by the one write path (signals.write_path) right after it
appends a SignalEvent, inside the service's transaction: a subscriber that raises rolls the
whole change back, so an event and what follows from it commit together (docs/adr/0005)."""

from backend.hooks import Hook
from signals.models import SignalEvent

event_appended = Hook[SignalEvent]("signals.event_appended")
