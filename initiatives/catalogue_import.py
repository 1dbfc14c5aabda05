"""Importing the catalogue from the CSV lists a municipality already keeps (column format in
docs/initiatives-import.md). All or nothing: every row is checked first, and any error, named
by its line number, refuses the whole file. Re-running the same file changes nothing: rows
are matched on `slug`. The file is UTF-8 (with or without a BOM) and nothing else: any other
encoding, a NUL byte or an oversized field is a refusal with its line, never a traceback."""

import codecs
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
# No text in the catalogue is longer; the csv module's own limit (131072) ends reading a file.
FIELD_MAX = 10_000
SAVE_AS_UTF8 = "save the file as UTF-8 ('CSV UTF-8' in Excel)"
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


def catalogue_text(data: bytes) -> str:
    """The file's text: UTF-8, a BOM allowed. Raises ImportRefused naming each line that is not
    UTF-8 or holds a NUL byte (one error for a UTF-16 or UTF-32 file, where every line would)."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if utf16 or data.count(b"\0") * 4 > len(data):  # without a BOM: a NUL in every other byte
        raise ImportRefused([(1, f"the file is UTF-16 or UTF-32, not UTF-8: {SAVE_AS_UTF8}")])
    errors: list[tuple[int, str]] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if b"\0" in line:
            errors.append((number, "a NUL byte (is this a text file?)"))
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = line[exc.start]
            errors.append(
                (
                    number,
                    f"not UTF-8: byte 0x{byte:02X} at position {exc.start + 1} (Latin-1 or "
                    f"Windows-1252?): {SAVE_AS_UTF8}",
                )
            )
    if errors:
        raise ImportRefused(errors)
    return data.decode("utf-8-sig")


def _parse_row(row: dict[Any, Any], known_reasons: set[str]) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    if row.get(None) or any(value is None for value in row.values()):
        # csv puts extra cells under None and leaves missing ones None.
        problems.append(f"expected {len(COLUMNS)} columns (a separator inside a text? quote it)")
        return {"slug": (row.get("slug") or "").strip()}, problems
    long = [column for column in COLUMNS if len(row.get(column) or "") > FIELD_MAX]
    if long:
        problems.append(f"{', '.join(long)}: at most {FIELD_MAX} characters")
        return {"slug": (row.get("slug") or "").strip()[:FIELD_MAX]}, problems
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
    rows: list[tuple[int, dict]] = []
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            return [], [(1, f"missing column(s): {', '.join(missing)}")]
        reader.fieldnames = header
        rows.extend((reader.line_num, row) for row in reader)
    except csv.Error as exc:  # e.g. a field past the csv module's limit: a quote left open?
        line = reader.line_num + 1  # it counts the lines of the records it completed
        return rows, [(line, f"cannot read on: {exc} (at most {FIELD_MAX} characters a field)")]
    return rows, []


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
