"""Startup checks: a wrong push configuration should stop a deploy, not surface as failed
notifications hours later."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

GATEWAYS = ("fcm", "console")


@register()
def push_gateway_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    choice = settings.PUSH_GATEWAY
    if choice not in GATEWAYS:
        return [
            Error(
                f"PUSH_GATEWAY is {choice!r}; choose one of {', '.join(GATEWAYS)}.",
                id="notifications.E001",
            )
        ]
    if choice == "fcm":
        path = settings.FIREBASE_CREDENTIALS_FILE
        if not path or not Path(path).is_file():
            return [
                Error(
                    "PUSH_GATEWAY is 'fcm' but FIREBASE_CREDENTIALS_FILE does not name a "
                    "readable service-account key file.",
                    id="notifications.E002",
                )
            ]
    return []
