"""The resident's personal data in a signal, declared once (docs/adr/0022). Erasure, the subject
export, the access log's field names and the Art. 30 register all derive from these names.
Names only, never values, go into the log (docs/adr/0014)."""

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# Fields of signals.Signal with the resident's personal data: blanked on withdrawal, erasure and
# retention. The house number is one of them although it is not encrypted: with the postcode it
# is an address.
PERSONAL_FIELDS = (
    "resident_first_name",
    "contact_phone",
    "contact_email",
    "postcode",
    "house_number",
    "house_number_addition",
    "observation",
)
# Other personal text, by the name the access log gives it.
NOTE_BODY = "notes.body"
WITHDRAWAL_REASON = "withdrawal_reason"
BREAK_GLASS_REASON = "break_glass_reason"
# Their names in words, for the names that are no field of Signal; a field of Signal is named
# by its verbose_name (signals.models), so each name is declared once.
LABELS: dict[str, Promise] = {
    NOTE_BODY: pgettext_lazy("signal field", "neighbourhood team notes"),
    WITHDRAWAL_REASON: pgettext_lazy("signal field", "reason for withdrawing consent"),
    BREAK_GLASS_REASON: pgettext_lazy("signal field", "reason for the break-glass opening"),
}
# What an erasure blanks: every personal field and every note body.
ERASED_FIELDS = (*PERSONAL_FIELDS, NOTE_BODY)


def erased_values() -> dict[str, Any]:
    """Each personal field with its erased value: None where the column allows it, else ""."""
    from signals.models import Signal

    fields = {name: Signal._meta.get_field(name) for name in PERSONAL_FIELDS}
    return {name: None if field.null else "" for name, field in fields.items()}


def filled_fields(signal: Any, notes: Iterable[Any] = ()) -> list[str]:
    """The personal fields that hold a value on `signal` (and note bodies): what a response
    showing them discloses. An erased signal discloses none."""
    names = [name for name in PERSONAL_FIELDS if getattr(signal, name) not in ("", None)]
    if any(note.body for note in notes):
        names.append(NOTE_BODY)
    return names


def field_label(name: str) -> str | None:
    """A personal field or a field of Signal by its name in words (active language), as the
    access log records it; None for a name this app does not declare."""
    from django.core.exceptions import FieldDoesNotExist

    from signals.models import Signal

    if name in LABELS:
        return str(LABELS[name])
    try:
        return str(Signal._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return None
