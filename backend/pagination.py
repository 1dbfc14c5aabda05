"""The one cursor pagination every list in the API uses (docs/adr/0017).

DRF's CursorPagination checks a cursor's offset but takes its position as it comes and puts it
straight into the query: `?cursor=cD1ub3QtYS1kYXRl` ("p=not-a-date") reached the database as a
date and came back as a 500. Here a cursor whose position does not convert to the ordering
field, exactly as the ORM would convert it for this database, is a 400 `invalid_cursor`, and so
is any cursor DRF cannot decode (DRF answers 404 for those). A page_size that is not a positive
whole number is a 400 too, instead of quietly falling back to the default; a larger one than
`max_page_size` is capped, as in DRF.
"""

import re
from base64 import b64decode
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination  # noqa: TID251 - the one base
from rest_framework.request import Request

from backend.errors import DomainError
from backend.serializers import refuse_repeated

_DIGITS = re.compile(r"[0-9]+")
_CURSOR_KEYS = {"o", "r", "p"}


class CursorPage(CursorPagination):
    """Subclasses set `ordering` (a model field first, a unique field last), `page_size` and
    `max_page_size`."""

    page_size_query_param = "page_size"
    page_size = 50
    max_page_size = 200

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list | None:
        self._queryset = queryset
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request: Request) -> int:
        refuse_repeated(request.query_params, [self.page_size_query_param, self.cursor_query_param])
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":  # `?page_size=` is not given, as for every query parameter
            return self.page_size
        field = serializers.IntegerField(min_value=1)
        try:
            if not _DIGITS.fullmatch(raw):  # DRF's IntegerField also takes "5.0" and " 5"
                field.fail("invalid")
            size = field.run_validation(raw)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.page_size_query_param: error.detail}) from None
        return min(size, self.max_page_size)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """DRF's page schema with examples that are URIs: its `next` example ends in a stray
        quote, so it failed its own `format: uri` (found by the NL API linter, ADR 43)."""
        page = super().get_paginated_response_schema(schema)
        properties = page["properties"]
        properties["next"]["example"] = (
            "https://buurtsignaal.example/api/v1/queue?cursor=cD00ODY%3D"
        )
        properties["previous"]["example"] = (
            "https://buurtsignaal.example/api/v1/queue?cursor=cj0xJnA9NDg3"
        )
        return page

    def decode_cursor(self, request: Request) -> Cursor | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded:
            _check_encoding(encoded)
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise DomainError("invalid_cursor") from None
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        """Converts the position as the ORM will for the first ordering field, so nothing the
        client forged can fail later inside the query."""
        ordering = self.ordering if isinstance(self.ordering, list | tuple) else [self.ordering]
        queryset = self._queryset
        field = queryset.model._meta.get_field(ordering[0].lstrip("-"))
        try:
            if "\x00" in position:
                raise ValueError("NUL in position")
            value = field.to_python(position)
            if value is None:
                raise ValueError("empty position")
            # Positions we hand out are aware (str() of an aware datetime); a naive one is forged
            # and would be made aware in the current time zone, which overflows in year 1.
            if isinstance(value, datetime) and timezone.is_naive(value):
                raise ValueError("naive datetime position")
            field.run_validators(value)  # e.g. the integer range of the column
            field.get_db_prep_value(value, connection=connections[queryset.db], prepared=False)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise DomainError("invalid_cursor") from None

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "default": self.page_size}
                parameter["description"] = (
                    f"Rows per page; more than {self.max_page_size} gives {self.max_page_size}."
                )
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "Opaque: take it from `next` or `previous` of a page; a changed cursor is a "
                    "400 invalid_cursor."
                )
        return parameters


def _check_encoding(encoded: str) -> None:
    """DRF decodes base64 leniently, dropping whatever is not in its alphabet, and reads what is
    left (nothing, for `%%%`) as the first page. A cursor we hand out is strict base64 of a query
    string of o, r and p; anything else is `invalid_cursor`."""
    try:
        text = b64decode(encoded, validate=True).decode("ascii")
        tokens = parse_qs(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:  # binascii.Error and UnicodeDecodeError among them
        raise DomainError("invalid_cursor") from None
    if not tokens or not set(tokens) <= _CURSOR_KEYS:
        raise DomainError("invalid_cursor")
