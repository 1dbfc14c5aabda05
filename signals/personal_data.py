"""The resident's personal data in a signal, declared once (docs/adr/0022). Erasure, the subject
export, the access log's field names and the Art. 30 register all derive from these names.
Names only, never values, go into the log (docs/adr/0014)."""

from collections.abc import Iterable
from typing import Any

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
