"""How notifications hears about events of the layers below it (docs/adr/0020). Registered in
NotificationsConfig.ready; each runs in the publisher's transaction and lets failures
propagate, so a push that cannot be recorded undoes the change that caused it."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from accounts.hooks import LoginSessionsEnded, login_sessions_ended
from notifications.models import Device
from notifications.services import devices_remove_for_user, signal_event_notify
from signals import hooks as signal_hooks
from signals.models import SignalEvent

SIGNAL_EVENTS_UID = "notifications.on_signal_event_appended"


def on_signal_event_appended(sender: type, event: SignalEvent, **kwargs: Any) -> None:
    """Side effects: as notifications.services.signal_event_notify (pending Notification rows)."""
    signal_event_notify(event=event)


def on_login_sessions_ended(ended: LoginSessionsEnded) -> None:
    """The devices registered in the ended session(s) get no more pushes; a deactivated
    account's devices say so.

    Side effects: as notifications.services.devices_remove_for_user."""
    reason = (
        Device.DeactivationReason.USER_DEACTIVATED
        if ended.reason == "user_deactivated"
        else Device.DeactivationReason.LOGOUT
    )
    devices_remove_for_user(user=ended.user, reason=reason, login_session_id=ended.login_session_id)


def subscribe() -> None:
    signal_hooks.connect(on_signal_event_appended, uid=SIGNAL_EVENTS_UID)
    login_sessions_ended.subscribe(on_login_sessions_ended)


@contextmanager
def signal_events_unheard() -> Iterator[None]:
    """Past events replayed (the demo's figures, outcomes.demo) tell nobody: inside, appended
    events record no push and no e-mail. Only for a loader that rewrites history in one
    process; live work never runs inside it (docs/adr/0049)."""
    signal_hooks.event_appended.disconnect(sender=SignalEvent, dispatch_uid=SIGNAL_EVENTS_UID)
    try:
        yield
    finally:
        signal_hooks.connect(on_signal_event_appended, uid=SIGNAL_EVENTS_UID)
