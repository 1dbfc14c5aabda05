"""Everything personal held about a resident, as the access log names it: derived from the apps
that declare their own (signals.personal_data, outcomes.personal_data; docs/adr/0022). What an
erasure blanks, what an export shows and what retention removes."""

from outcomes.personal_data import PERSONAL_FIELDS as MEASUREMENT_FIELDS
from signals.personal_data import ERASED_FIELDS

SUBJECT_FIELDS = (*ERASED_FIELDS, *MEASUREMENT_FIELDS)
