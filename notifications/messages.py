"""The one place that builds a push message.

Push payloads pass through Google (and Apple) and show on lock screens, so a message carries
only the event type, the signal's opaque id and a generic title/body in the device's language.
The builder takes nothing else as input: it cannot leak what it is never given. Texts speak of
signals and the team, never of the resident or of loneliness.
"""

import warnings
from datetime import timedelta
from typing import Final

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy
from firebase_admin import messaging

from backend.i18n import supported_language
from notifications.models import Notification

Kind = Notification.Kind

# (title, body) per kind: gettext, context "push", read in the recipient's language.
TEXTS: Final[dict[str, tuple[Promise, Promise]]] = {
    Kind.SIGNAL_ROUTED: (
        pgettext_lazy("push", "New signal for your team"),
        pgettext_lazy("push", "Open the app to view it."),
    ),
    Kind.SIGNAL_FORWARDED: (
        pgettext_lazy("push", "Signal forwarded to your team"),
        pgettext_lazy("push", "Open the app to view it."),
    ),
    Kind.SIGNAL_ASSIGNED: (
        pgettext_lazy("push", "A signal was assigned to you"),
        pgettext_lazy("push", "Open the app to view it."),
    ),
    Kind.SIGNAL_ACKNOWLEDGED: (
        pgettext_lazy("push", "Your signal has been picked up"),
        pgettext_lazy("push", "The neighbourhood team is working on it."),
    ),
    Kind.SIGNAL_ESCALATED: (
        pgettext_lazy("push", "A signal needs attention"),
        pgettext_lazy("push", "The deadline has passed. Open the app."),
    ),
    Kind.CONSENT_WITHDRAWN: (
        pgettext_lazy("push", "Consent withdrawn"),
        pgettext_lazy("push", "Open the app to see what this means for the signal."),
    ),
}

# A push about a signal is stale after a day; the queue in the app is the source of truth.
TIME_TO_LIVE: Final = timedelta(days=1)


def collapse_id(*, event_id: int | None, notification_id: int) -> str:
    """The one id under which every copy of a push collapses on the phone: per event (so a
    repeat after a fault replaces the first, and two events never hide each other). A row
    without an event (a test, a hand-made row) collapses with itself only. At most 64 bytes,
    as apns-collapse-id requires."""
    if event_id is not None:
        return f"event-{event_id}"
    return f"notification-{notification_id}"


def push_message_build(
    *,
    kind: str,
    object_id: str,
    language: str,
    urgent: bool,
    collapse: str,
    installation_id: str = "",
    registration_token: str = "",
) -> messaging.Message:
    """A data-only FCM message (no top-level `notification`): the Android app renders it itself
    from `title`/`body` and must honour `visibility` (FCM has no visibility field for data
    messages). iOS only shows alerts, so APNs gets the same generic title/body. Addressed to
    the installation id when known, else to the registration token.

    `collapse` (see collapse_id) makes a repeat replace the first copy: FCM's Android
    `collapse_key`, the `tag` the app gives its notification (in data: an `android.notification`
    block would make the system render the push, past the app's visibility handling), and
    APNs' `apns-collapse-id`."""
    with translation.override(supported_language(language)):
        title, body = (str(text) for text in TEXTS[kind])
    data = {
        "type": str(kind),
        "id": str(object_id),
        "title": title,
        "body": body,
        "visibility": "private",
        "tag": collapse,
    }
    target = {"fid": installation_id} if installation_id else {"token": registration_token}
    with warnings.catch_warnings():
        # firebase-admin deprecates `token` for `fid`; app versions without an FID still need it.
        warnings.simplefilter("ignore", DeprecationWarning)
        return messaging.Message(
            **target,
            data=data,
            android=messaging.AndroidConfig(
                priority="high" if urgent else "normal",
                ttl=TIME_TO_LIVE,
                collapse_key=collapse,
            ),
            apns=messaging.APNSConfig(
                headers={
                    "apns-priority": "10" if urgent else "5",
                    "apns-push-type": "alert",
                    "apns-collapse-id": collapse,
                },
                payload=messaging.APNSPayload(
                    aps=messaging.Aps(
                        alert=messaging.ApsAlert(title=title, body=body),
                        sound="default" if urgent else None,
                        thread_id=str(kind),
                    ),
                ),
            ),
        )
