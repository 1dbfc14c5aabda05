"""The consent register and the AVG art. 30 processing register, for the privacy officer
(docs/adr/0013). `consent_gaps` lists consents that give less than was ticked (docs/adr/0032),
`consents` selects and shapes the consent register's lines, `processing` builds the processing
register from code and settings, `lawful_bases` declares the lawful basis of each processing
activity (docs/adr/0033), `texts` holds the prose in Dutch and
English, `rendering` writes CSV and Markdown. Import from here."""

from privacy.registers.consent_gaps import (
    CONSENT_GAP_ORDERING,
    consent_gap_entry,
    consent_gap_rows,
    consent_gaps_page,
    consent_gaps_read,
)
from privacy.registers.consents import (
    CONSENT_REGISTER_COLUMNS,
    consent_register_entry,
    consent_register_read,
    consent_register_rows,
)
from privacy.registers.page import field_names, security_measure_lines
from privacy.registers.processing import (
    encrypted_field_labels,
    processing_register,
    push_payload_keys,
)
from privacy.registers.rendering import csv_lines, processing_register_markdown
from privacy.registers.texts import CONSENT_PURPOSES, purpose_description

__all__ = [
    "CONSENT_GAP_ORDERING",
    "CONSENT_PURPOSES",
    "CONSENT_REGISTER_COLUMNS",
    "consent_gap_entry",
    "consent_gap_rows",
    "consent_gaps_page",
    "consent_gaps_read",
    "consent_register_entry",
    "consent_register_read",
    "consent_register_rows",
    "csv_lines",
    "encrypted_field_labels",
    "field_names",
    "processing_register",
    "processing_register_markdown",
    "purpose_description",
    "push_payload_keys",
    "security_measure_lines",
]
