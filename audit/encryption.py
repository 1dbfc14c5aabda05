"""Encryption at rest for personal fields: MultiFernet over FIELD_ENCRYPTION_KEYS.

Keys come from the environment, comma-separated, newest first. The newest key encrypts; every
listed key decrypts, so a new key can be put in front, `manage.py rotate_encryption_keys`
re-encrypts the rows, and then the old key can be dropped (docs/privacy.md).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps as django_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.functions import Cast


class FieldDecryptionError(Exception):
    """A stored value none of the configured keys can open. Never carries the value."""


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, MultiFernet]:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: set it to one or more Fernet keys, newest first"
        )
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.strip().encode()))
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {position} is not a valid Fernet key"
            ) from exc
    return fernets[0], MultiFernet(fernets)


def _configured() -> tuple[Fernet, MultiFernet]:
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    """Ciphertext under the newest key."""
    return _configured()[1].encrypt(value.encode()).decode("ascii")


def decrypt_text(token: str, *, label: str = "a field") -> str:
    try:
        return _configured()[1].decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise FieldDecryptionError(
            f"cannot decrypt {label}: wrong or missing key in FIELD_ENCRYPTION_KEYS"
        ) from exc


def is_current(token: str) -> bool:
    """True when the newest key already encrypts `token`."""
    try:
        _configured()[0].decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate_token(token: str, *, label: str) -> str:
    try:
        return _configured()[1].rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise FieldDecryptionError(
            f"cannot re-encrypt {label}: no configured key opens it"
        ) from exc


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    from audit.fields import EncryptedTextField

    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def encrypted_models(registry: Apps | None = None) -> list[type[models.Model]]:
    """Concrete managed models with at least one encrypted field."""
    registry = registry or django_apps
    return [
        model
        for model in registry.get_models()
        if model._meta.managed and not model._meta.proxy and encrypted_fields(model)
    ]


@dataclass
class RotationReport:
    model: str
    rows_seen: int = 0
    values_rotated: int = 0


def encrypted_fields_rotate(
    *, models_: Iterable[type[models.Model]] | None = None, batch_size: int = 500
) -> list[RotationReport]:
    """Re-encrypts every encrypted value not yet under the newest key, batch by batch.

    Each batch runs in its own transaction with the rows locked, so a concurrent write is
    neither lost nor overwritten with an older value. Raises FieldDecryptionError (naming model,
    field and primary key, never the value) when no configured key opens a value.

    Side effects: UPDATEs of encrypted columns."""
    reports = []
    for model in models_ if models_ is not None else encrypted_models():
        reports.append(_rotate_model(model, batch_size))
    return reports


def _rotate_model(model: type[models.Model], batch_size: int) -> RotationReport:
    fields = encrypted_fields(model)
    report = RotationReport(model=model._meta.label)
    # Cast to plain text: read the stored ciphertext, not the decrypted value.
    raw = {f"_raw_{f.attname}": Cast(f.attname, output_field=models.TextField()) for f in fields}
    last_pk = None
    while True:
        with transaction.atomic():
            rows = model._base_manager.select_for_update().order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.annotate(**raw).values("pk", *raw)[:batch_size])
            if not batch:
                return report
            for row in batch:
                report.rows_seen += 1
                report.values_rotated += _rotate_row(model, fields, row)
            last_pk = batch[-1]["pk"]


def _rotate_row(model: type[models.Model], fields: Sequence[models.Field], row: dict) -> int:
    updates = {}
    for f in fields:
        token = row[f"_raw_{f.attname}"]
        if not token or is_current(token):
            continue
        label = f"{model._meta.label}.{f.name} (pk {row['pk']})"
        # A Value with a plain TextField bypasses the field's own encryption on the way in.
        updates[f.attname] = models.Value(
            rotate_token(token, label=label), output_field=models.TextField()
        )
    if updates:
        model._base_manager.filter(pk=row["pk"]).update(**updates)
    return len(updates)
