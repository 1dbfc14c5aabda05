"""Model fields encrypted at rest (audit.encryption). For personal values nobody searches on:
resident contact details and free text."""

from typing import Any

from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from audit.encryption import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; reads back the plaintext. The empty string stays empty, so
    `field=""` (erased or never given) can still be queried; no other value can be searched.

    `max_length` applies to the plaintext (model validation), not to the column."""

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value, label=f"{self.model._meta.label}.{self.name}")

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None  # Django then raises FieldError: encrypted values cannot be searched

    def get_transform(self, lookup_name: str) -> Any:
        return None


class EmptyOnlyExact(Exact):
    """`field=""` and `field=None` work; matching a plaintext value cannot (random IVs)."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError("an encrypted field can only be compared with the empty string")
        return super().get_prep_lookup()
