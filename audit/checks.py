"""Deployment checks of the audit app: the field encryption keys (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def field_encryption_keys_check(**_: Any) -> list[Error]:
    from audit.encryption import _fernets

    try:
        _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Generate one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'` and keep it outside the code.",
                id="audit.E001",
            )
        ]
    return []
