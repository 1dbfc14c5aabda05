"""Everything personal held about a resident, as the access log names it: derived from the apps
that declare their own (signals.personal_data, outcomes.personal_data; docs/adr/0022). What an
erasure blanks, what an export shows and what retention removes."""

from collections.abc import Iterable

from outcomes.personal_data import LABELS as MEASUREMENT_LABELS
from outcomes.personal_data import PERSONAL_FIELDS as MEASUREMENT_FIELDS
from signals.personal_data import ERASED_FIELDS, field_label

SUBJECT_FIELDS = (*ERASED_FIELDS, *MEASUREMENT_FIELDS)


def field_text(names: Iterable[str]) -> str:
    """Field names as the access log records them, in words (active language), comma
    separated; a name no app declares (an older row's) as recorded."""
    labels = []
    for name in names:
        label = str(MEASUREMENT_LABELS[name]) if name in MEASUREMENT_LABELS else field_label(name)
        labels.append(label or name)
    return ", ".join(labels)
