"""Validation of the catalogue's code lists, shared by the admin form and the CSV import."""

import re
from collections.abc import Iterable

from initiatives.models import ActivityKind
from signals.models import TargetGroup

BUURT = re.compile(r"^BU[0-9]{8}$")
WIJK = re.compile(r"^WK[0-9]{6}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

VOCABULARIES: dict[str, tuple[str, frozenset[str] | re.Pattern]] = {
    "kinds": ("activity kind", frozenset(ActivityKind.values)),
    "target_groups": ("target group", frozenset(TargetGroup.values)),
    "languages": ("language (ISO 639-1, two letters)", LANGUAGE),
    "buurt_codes": ("buurt code (BU + 8 digits)", BUURT),
    "wijk_codes": ("wijk code (WK + 6 digits)", WIJK),
}


def split_codes(text: str) -> list[str]:
    """`a, b;c` -> [a, b, c], without blanks and repeats, order kept."""
    seen: dict[str, None] = {}
    for part in re.split(r"[;,|]", text or ""):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


def invalid_codes(field: str, codes: Iterable[str]) -> list[str]:
    _label, rule = VOCABULARIES[field]
    if isinstance(rule, frozenset):
        return [code for code in codes if code not in rule]
    return [code for code in codes if not rule.fullmatch(code)]


def describe(field: str) -> str:
    label, rule = VOCABULARIES[field]
    if isinstance(rule, frozenset):
        return f"{label}: one of {', '.join(sorted(rule))}"
    return label
