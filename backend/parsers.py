"""The one request parser: JSON, with limits on size and nesting (docs/adr/0017).

Python's json module recurses once per nesting level, so a body like `[[[[...]]]]` 10,000 deep
raised RecursionError, a 500, before any authentication. Nothing we accept is nested more than
a few levels, so anything deeper than MAX_DEPTH is refused with a stable code. DRF's own parser
also reads the whole stream however large; this one stops at DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, get_encoding
from rest_framework.renderers import JSONRenderer

from backend.errors import DomainError

MAX_DEPTH = 64


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def nesting_depth_exceeds(value: Any, limit: int) -> bool:
    """True when `value` holds more than `limit` nested arrays or objects. Iterative, so a
    deep value cannot exhaust the stack here either."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(BaseParser):
    """application/json only; NaN and Infinity are refused as in strict JSON."""

    media_type = "application/json"
    renderer_class = JSONRenderer

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> Any:
        encoding = get_encoding(parser_context or {})
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise DomainError("request_too_large", limit=limit)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise DomainError("json_too_deep", limit=MAX_DEPTH) from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from error
        if nesting_depth_exceeds(data, MAX_DEPTH):
            raise DomainError("json_too_deep", limit=MAX_DEPTH)
        return data
