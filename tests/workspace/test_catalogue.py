"""The committed translations: every .po entry is in its compiled .mo (so `make run` and CI
need no gettext), and every workspace string has its Dutch text."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?'
    r'((?:msgstr(?:\[\d\])? (?:".*"\n?)+)+)',
    re.M,
)


def _text(lines: str) -> str:
    return (
        "".join(re.findall(r'"(.*)"', lines))
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode()
    )


def po_entries(language: str) -> dict[tuple[str | None, str], list[str]]:
    """(context, msgid) to msgstr(s); the context is None for an entry without msgctxt."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    text = re.sub(r"^#~.*\n", "", text, flags=re.M)
    entries = {}
    for match in ENTRY.finditer(text + "\n"):
        context = _text(match[1]) if match[1] else None
        msgid = _text(match[2])
        strings = [_text(s) for s in re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', match[4])]
        if msgid:
            entries[context, msgid] = strings
    return entries


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for (context, msgid), strings in po_entries(language).items():
        if len(strings) > 1:
            continue  # plural forms: checked through the singular entries' file being current
        expected = strings[0] or msgid
        found = compiled.gettext(msgid) if context is None else compiled.pgettext(context, msgid)
        assert found == expected, (
            f"locale/{language}: {msgid!r} is not compiled; run "
            "`manage.py compilemessages --ignore=.venv --ignore=.tools`"
        )


def test_every_english_msgid_has_dutch():
    """English msgids are ours (the workspace) or Django's (its admin template's, which
    Django's own catalogue translates); Dutch msgids are the vocabularies' labels."""
    english_sources = {key for key, strings in po_entries("en").items() if not strings[0]}
    dutch = po_entries("nl")
    with translation.override("nl"):
        missing = [
            (context, m)
            for context, m in english_sources
            if not any(dutch.get((context, m), [""]))
            and (translation.gettext(m) if context is None else translation.pgettext(context, m))
            == m
        ]
    assert not missing, f"no Dutch for: {missing[:10]}"
