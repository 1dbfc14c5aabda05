"""Startup checks: a wrong push or e-mail configuration should stop a deploy, not surface as
failed notifications hours later."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

GATEWAYS = ("fcm", "console")
# Django's e-mail backends that deliver to nobody: fine for the demo and the tests only.
UNDELIVERED_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


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


@register(deploy=True)
def email_delivered(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy`: the e-mails that replace failed pushes must leave the machine."""
    if settings.EMAIL_BACKEND in UNDELIVERED_EMAIL_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which delivers no e-mail.",
                hint="Set EMAIL_URL to your SMTP server, e.g. "
                "smtp+tls://user:password@smtp.example.org:587.",
                id="notifications.E003",
            )
        ]
    return []
