"""The one test of "is it English?" (docs/adr/0040).

Interface text is gettext (`locale/`, msgids in English, Dutch the default language). Two kinds
of text still choose a language by hand, and ask here: text that is data, held in `_nl`/`_en`
fields or supplied by the deployment (reason codes, the instrument's items, a lawful basis's
law), and the vocabularies whose declared choice labels are Dutch only."""

from django.utils import translation


def is_english(language: str | None = None) -> bool:
    """True for English (`en`, `en-gb`, ...): `language`, or the active one when None. Anything
    else, an empty language and no active language are Dutch."""
    if language is None:
        language = translation.get_language()
    return (language or "nl")[:2] == "en"


def in_language(nl: str, en: str, language: str | None = None) -> str:
    """The one of a data text's two versions that `language` (or the active one) reads; Dutch
    where the English version is empty (an optional `_en` field left blank)."""
    return en if is_english(language) and en else nl


def supported_language(language: str | None) -> str:
    """`en` or `nl`: the language a text for someone whose language is `language` (a push, an
    e-mail) is written in. Anything but English, and none, is Dutch."""
    return "en" if is_english(language or "nl") else "nl"


def reading_language(language: str | None = None) -> str:
    """`en` or `nl`: the language an interface text asked for in `language` (a client's
    Accept-Language), or in the active one when it is None or empty, is read in. Anything but
    English is Dutch: gettext itself would show a third language the English msgid."""
    return "en" if is_english(language or None) else "nl"


def language_name(code: str) -> str:
    """A language's name in the active language, from Django's language table ("Turks" on a
    Dutch page, "Turkish" on an English one); "" for an unknown code (docs/adr/0049)."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return ""
