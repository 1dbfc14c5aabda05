"""Looking into the real Redis broker."""

import base64
import json
from typing import Any


def queued_sends(broker: Any) -> list[list[int]]:
    """Arguments of the send tasks waiting in the real broker's notifications queue."""
    sends = []
    for raw in broker.lrange("notifications", 0, -1):
        message = json.loads(raw)
        if message["headers"]["task"] == "notifications.tasks.notifications_send":
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            sends.append(args[0])
    return sends
