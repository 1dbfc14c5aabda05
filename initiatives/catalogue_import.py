"""Importing the catalogue from the CSV lists a municipality already keeps (column format in
docs/initiatives-import.md). All or nothing: every row is checked first, and any error, named
by its line number, refuses the whole file. Re-running the same file changes nothing: rows
are matched on `slug`."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from django.db import transaction

from initiatives import codes
from initiatives.models import Cost, Initiative
from signals.models import ReasonCode

COLUMNS = (
    "slug",
    "name",
    "organisation",
    "description_nl",
    "description_en",
    "kinds",
    "target_groups",
    "reasons",
    "citywide",
    "wijk_codes",
    "buurt_codes",
    "languages",
    "step_free",
    "transport_offered",
    "cost",
    "contact_route",
    "accepting_new",
    "active",
    "last_verified_on",
)
REQUIRED = ("slug", "name", "description_nl", "contact_route", "last_verified_on")
YES = {"ja", "yes", "true", "1", "j", "y"}
NO = {"nee", "no", "false", "0", "n", ""}
LIST_FIELDS = ("kinds", "target_groups", "wijk_codes", "buurt_codes", "languages")
FLAGS = ("citywide", "step_free", "transport_offered", "accepting_new", "active")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


class ImportRefused(Exception):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def _flag(value: str, column: str, problems: list[str]) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text not in NO:
        problems.append(f"{column}: '{value}' is not ja/nee")
    return False


def _parse_row(row: dict[Any, Any], known_reasons: set[str]) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    if row.get(None) or any(value is None for value in row.values()):
        # csv puts extra cells under None and leaves missing ones None.
        problems.append(f"expected {len(COLUMNS)} columns (a separator inside a text? quote it)")
        return {"slug": (row.get("slug") or "").strip()}, problems
    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            problems.append(f"{column}: required")
    slug = (row.get("slug") or "").strip()
    if slug and not codes.SLUG.fullmatch(slug):
        problems.append(f"slug: '{slug}' may hold only a-z, 0-9 and '-'")
    for column in ("name", "organisation", "description_nl", "description_en", "contact_route"):
        values[column] = (row.get(column) or "").strip()
    if len(values["name"]) > 160 or len(values["organisation"]) > 160:
        problems.append("name/organisation: at most 160 characters")
    for column in LIST_FIELDS:
        found = codes.split_codes(row.get(column) or "")
        wrong = codes.invalid_codes(column, found)
        if wrong:
            problems.append(f"{column}: {', '.join(wrong)} (expected {codes.describe(column)})")
        values[column] = found
    reasons = codes.split_codes(row.get("reasons") or "")
    unknown = [code for code in reasons if code not in known_reasons]
    if unknown:
        problems.append(f"reasons: unknown reason code(s) {', '.join(unknown)}")
    values["reasons"] = reasons
    flags = {column: _flag(row.get(column) or "", column, problems) for column in FLAGS}
    values.update(flags)
    values["is_active"] = values.pop("active")
    cost = (row.get("cost") or "free").strip().lower()
    if cost not in Cost.values:
        problems.append(f"cost: '{cost}' is not one of {', '.join(Cost.values)}")
    values["cost"] = cost
    try:
        values["last_verified_on"] = date.fromisoformat((row.get("last_verified_on") or "").strip())
    except ValueError:
        if (row.get("last_verified_on") or "").strip():
            problems.append("last_verified_on: not a date like 2026-09-01")
    if not (values["citywide"] or values["wijk_codes"] or values["buurt_codes"]):
        problems.append("area: say citywide=ja or give wijk_codes or buurt_codes")
    return {"slug": slug, **values}, problems


def read_rows(stream: TextIO, *, delimiter: str = ";") -> tuple[list[tuple[int, dict]], list]:
    reader = csv.DictReader(stream, delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [(1, f"missing column(s): {', '.join(missing)}")]
    reader.fieldnames = header
    return [(reader.line_num, row) for row in reader], []


def import_catalogue(
    stream: TextIO,
    *,
    delimiter: str = ";",
    progress: Callable[[Iterable], Iterable] = lambda rows: rows,
) -> ImportResult:
    """Checks every row, then writes them all in one transaction; raises ImportRefused with
    (line, message) pairs when any row is wrong (nothing is written then).

    Side effects: Initiative rows created or updated by slug, with their reason codes."""
    rows, errors = read_rows(stream, delimiter=delimiter)
    known = set(ReasonCode.objects.values_list("code", flat=True))
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        values, problems = _parse_row(row, known)
        if values["slug"] in seen:
            problems.append(f"slug: '{values['slug']}' also on line {seen[values['slug']]}")
        seen.setdefault(values["slug"], line)
        errors += [(line, problem) for problem in problems]
        parsed.append(values)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    reasons = {reason.code: reason for reason in ReasonCode.objects.all()}
    with transaction.atomic():
        for values in progress(parsed):
            _write(values, reasons, result)
    return result


def _write(values: dict[str, Any], reasons: dict[str, ReasonCode], result: ImportResult) -> None:
    reason_codes = values.pop("reasons")
    initiative = Initiative.objects.filter(slug=values["slug"]).first()
    if initiative is None:
        initiative = Initiative.objects.create(**values)
        initiative.reasons.set([reasons[code] for code in reason_codes])
        result.created += 1
        return
    changed = [name for name, value in values.items() if getattr(initiative, name) != value]
    same_reasons = sorted(r.code for r in initiative.reasons.all()) == sorted(reason_codes)
    if not changed and same_reasons:
        result.unchanged += 1
        return
    for name in changed:
        setattr(initiative, name, values[name])
    initiative.save()
    initiative.reasons.set([reasons[code] for code in reason_codes])
    result.updated += 1
