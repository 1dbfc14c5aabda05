"""The registers' documents pinned byte for byte: the Art. 30 Markdown in Dutch and English and
the consent register's CSV. They are what a privacy officer files; a refactoring must not change
them. A deliberate change: run with REGENERATE_GOLDEN=1, read the diff of tests/privacy/golden/,
commit it with the change that explains it."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import translation

from privacy.registers import (
    CONSENT_REGISTER_COLUMNS,
    csv_lines,
    processing_register,
    processing_register_markdown,
)

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"


def _matches_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("REGENERATE_GOLDEN") == "1":
        path.write_bytes(text.encode())
    assert text == path.read_bytes().decode(), f"{name} changed; see this module's docstring"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_processing_register_markdown_is_unchanged(settings, language):
    settings.PRIVACY_CONTROLLER_NAME = "Gemeente Voorbeeld"
    settings.PRIVACY_CONTROLLER_CONTACT = "privacy@gemeente.example"
    settings.PRIVACY_DPO_CONTACT = ""
    with (
        time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False),
        translation.override(language),
    ):
        text = processing_register_markdown(processing_register())
    _matches_golden(f"processing_register.{language}.md", text)


def test_consent_register_csv_is_unchanged():
    entries = [
        {
            "consent_id": "5f0c3a52-8a4e-4f7b-9b57-1d2f5e3c9a10",
            "subject_id": "c4a1b2d3-0000-4000-8000-000000000001",
            "given_at": datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
            "recorded_at": datetime(2026, 2, 1, 8, 0, 5, tzinfo=UTC),
            "method": "verbal_in_person",
            "given_by": "representative",
            "purposes": {"team_contact": True, "share_with_initiative": False},
            "recipients": ["neighbourhood_team", 'initiative:=HYPERLINK("http://x")'],
            "consent_text_version": "2026-1",
            "consent_text_language": "nl",
            "consent_text_sha256": "ab" * 32,
            "recorded_by_organisation": '+Woningcorporatie, "Voorbeeld"',
            "withdrawn_at": None,
        },
        {
            "consent_id": 7,
            "subject_id": "c4a1b2d3-0000-4000-8000-000000000002",
            "given_at": datetime(2026, 2, 2, 9, 0, tzinfo=UTC),
            "recorded_at": datetime(2026, 2, 2, 9, 0, tzinfo=UTC),
            "method": "written",
            "given_by": "resident",
            "purposes": {},
            "recipients": [],
            "consent_text_version": "2026-1",
            "consent_text_language": "en",
            "consent_text_sha256": "cd" * 32,
            "recorded_by_organisation": "",
            "withdrawn_at": datetime(2026, 2, 3, 10, 0, tzinfo=UTC),
        },
    ]
    text = "".join(csv_lines(CONSENT_REGISTER_COLUMNS, entries))
    _matches_golden("consent_register.csv", text)
