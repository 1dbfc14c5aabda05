"""One mechanism for bilingual text (docs/adr/0040): interface text is gettext, read from
locale/; data texts and the Dutch-only vocabularies ask backend.i18n, the one place that decides
"is it English?"."""

import ast
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.functional import Promise

from accounts.services import credential_delivery
from backend.i18n import in_language, is_english, supported_language
from notifications import emails, messages
from outcomes.stats import labels
from privacy import export_texts
from privacy.registers import lawful_bases, texts

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "audit", "backend", "initiatives", "notifications", "outcomes", "privacy"]
APPS += ["signals", "workspace"]
# Words that read the same in both languages.
SAME_IN_BOTH = {"Postcode", "Status", "BSN"}


def _promises(value: object) -> list[Promise]:
    if isinstance(value, Promise):
        return [value]
    if isinstance(value, dict):
        return [p for item in value.values() for p in _promises(item)]
    if isinstance(value, list | tuple):
        return [p for item in value for p in _promises(item)]
    return []


def _moved_texts() -> list[Promise]:
    found = [
        p
        for module in (export_texts, texts, lawful_bases, labels, messages, emails)
        for p in _promises(list(vars(module).values()))
    ]
    found += [basis.description for basis in lawful_bases.DEFAULTS.values()]
    found += _promises([credential_delivery.SUBJECT, credential_delivery.NEXT_STEP])
    found += _promises([credential_delivery.VALID_UNTIL, credential_delivery.NOT_YOU])
    return found


def test_every_interface_text_has_its_dutch_translation_compiled():
    """A text added without its entry in locale/nl (or without compiling the .mo) would show
    English on a Dutch page, register or e-mail."""
    moved = _moved_texts()
    assert len(moved) > 180
    untranslated = []
    for text in moved:
        with translation.override("en"):
            english = str(text)
        with translation.override("nl"):
            dutch = str(text)
        if dutch == english and english not in SAME_IN_BOTH:
            untranslated.append(english)
    assert untranslated == []


def test_english_reads_the_msgid_and_dutch_the_translation():
    with translation.override("en"):
        assert export_texts.label("title") == "Your personal data"
        assert texts.retention_rule(30) == "personal data erased 30 days after the end"
    with translation.override("nl"):
        assert export_texts.label("title") == "Inzage in uw gegevens"
        assert texts.retention_rule(30) == "persoonsgegevens gewist 30 dagen na het einde"
        assert export_texts.event_label("unknown_event") == "unknown_event"


@pytest.mark.parametrize(
    ("language", "active", "english"),
    [
        ("en", "nl", True),
        ("en-gb", "nl", True),
        ("nl", "en", False),
        ("", "en", False),  # an empty language is Dutch, not the active one
        (None, "en", True),
        (None, "nl", False),
        ("de", "en", False),
    ],
)
def test_is_english(language, active, english):
    with translation.override(active):
        assert is_english(language) is english


def test_in_language_falls_back_to_dutch_where_english_is_blank():
    assert in_language("Wandelclub", "Walking club", "en") == "Walking club"
    assert in_language("Wandelclub", "", "en") == "Wandelclub"
    assert in_language("Wandelclub", "Walking club", "nl") == "Wandelclub"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "en"), ("en-us", "en"), ("nl", "nl"), ("", "nl")]
)
def test_supported_language_of_a_recipient_ignores_the_active_language(language, expected):
    with translation.override("en"):
        assert supported_language(language) == expected


def _language_tests(path: Path) -> list[int]:
    """Lines that ask for the active language or compare a language with "en" themselves."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_language":
            lines.append(node.lineno)
        if isinstance(node, ast.Compare) and any(
            isinstance(side, ast.Constant) and side.value == "en"
            for side in [node.left, *node.comparators]
        ):
            lines.append(node.lineno)
    return lines


def test_is_it_english_is_decided_in_one_place():
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "backend" / "i18n.py":
                continue
            if lines := _language_tests(path):
                found[str(path.relative_to(ROOT))] = lines
        for path in (ROOT / app).rglob("*.html"):
            if '== "en"' in path.read_text():
                found[str(path.relative_to(ROOT))] = ["template"]
    assert found == {}
