"""Streaming CSV for the privacy officer's exports. Cells that a spreadsheet would run as a
formula are defused: user agents, recipients and initiative names are typed by people."""

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True)


def csv_cell(value: Any, *, format_dict: Callable[[dict[str, Any]], str] = _json) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict):
        value = format_dict(value)
    elif isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    format_dict: Callable[[dict[str, Any]], str] = _json,
) -> Iterator[str]:
    """The header, then one line per row of values in `columns` order, as they are produced."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(value, format_dict=format_dict) for value in row])
