"""Serializer helpers shared by the apps."""

import re
from datetime import UTC, datetime
from typing import Any

from django.http import QueryDict
from django.utils.dateparse import datetime_re
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_TEXT_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.UUIDField,
    serializers.DateTimeField,  # noqa: TID251 - DRF's and ours
)


def _schema_violation(
    field: serializers.Field, value: Any, *, query: bool
) -> tuple[serializers.Field, str] | None:
    """The field and error key when `value` breaks what the schema says of `field`, before DRF
    normalises it, else None. DRF coerces (`0` for a string, `"3"` or `3.0` for an integer,
    `"yes"` for a boolean, an integer for a UUID) and trims whitespace before it checks a
    maximum length; the schema promises types and lengths as sent, so a strict input holds to
    them. In a query string every value is text: integers are digits, booleans true or false."""
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.BooleanField):
        ok = value in ("true", "false") if query else isinstance(value, bool)
        return None if ok else (field, "invalid")
    if isinstance(field, serializers.IntegerField):
        if query:
            ok = isinstance(value, str) and bool(_WHOLE_NUMBER.fullmatch(value))
        else:
            ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else (field, "invalid")
    if isinstance(field, _TEXT_FIELDS):
        if not isinstance(value, str):
            choice = isinstance(field, serializers.ChoiceField)
            return field, "invalid_choice" if choice else "invalid"
        max_length = getattr(field, "max_length", None)
        if max_length is not None and len(value) > max_length:
            return field, "max_length"
        return None
    if isinstance(field, serializers.ListField) and not query:
        if not isinstance(value, list):
            return field, "not_a_list"
        for item in value:
            violation = _schema_violation(field.child, item, query=False)
            if violation:
                return violation
    return None


def _field_error(field: serializers.Field, key: str, value: Any) -> list:
    params = {
        "input": value,
        "input_type": type(value).__name__,
        "format": "ISO 8601",
        "max_length": getattr(field, "max_length", None),
    }
    try:
        field.fail(key, **params)
    except serializers.ValidationError as error:
        return error.detail
    return []  # pragma: no cover - fail() always raises


def refuse_repeated(query: QueryDict | dict, names: Any) -> None:
    """A query parameter with one value in the schema may be given once: `?wijk=a&wijk=b` was
    read as `b` alone. Raises a validation error naming each one given more than once."""
    if not isinstance(query, QueryDict):
        return
    repeated = sorted(name for name in names if len(query.getlist(name)) > 1)
    if repeated:
        raise serializers.ValidationError(
            {
                name: [serializers.ErrorDetail(_("Give this parameter once."), code="repeated")]
                for name in repeated
            }
        )


def _single_valued(field: serializers.Field) -> bool:
    return not isinstance(field, serializers.ListField | serializers.MultipleChoiceField)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare (mass assignment, OWASP API3), at every nesting level,
    so a typo or an attempt to set a server-side field is an error instead of silently ignored.
    Values must have the JSON type and length the schema gives (see _schema_violation), and a query
    parameter with one value may be given once."""

    default_error_messages = {"unknown_field": gettext_lazy("Unknown field.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [serializers.ErrorDetail(_("Unknown field."), code="unknown_field")]
                        for name in unknown
                    }
                )
            query = isinstance(data, QueryDict)
            if query:
                refuse_repeated(data, [n for n in data if _single_valued(self.fields[n])])
            errors = {}
            for name in data:
                field = self.fields[name]
                if field.read_only:
                    continue
                violation = _schema_violation(field, data.get(name), query=query)
                if violation:
                    errors[name] = _field_error(*violation, data.get(name))
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class DateTimeField(serializers.DateTimeField):  # noqa: TID251 - the one subclass
    """DRF's DateTimeField limited to 1970..2200 (UTC), the one every serializer uses (ruff bans
    DRF's own, see pyproject). DRF made a naive year-1 moment aware with an OverflowError, a
    500; moments near year 9999 passed but broke later arithmetic (due dates, time zones).
    Nothing this service records or filters on lies outside these years, so anything outside is
    a field error with DRF's `overflow` code.

    A text without a time of day ("2026-12-01") is no moment: refused (`invalid`), where DRF
    read it as midnight. With `offset_required` (moments a client records, such as a consent's
    given_at) the text must also carry its UTC offset or Z (docs/adr/0017, 0035)."""

    EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
    LATEST = datetime(2200, 1, 1, tzinfo=UTC)

    def __init__(self, *args: Any, offset_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offset_required = offset_required

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            written = datetime_re.fullmatch(value.strip())
            if not written or (self.offset_required and not written["tzinfo"]):
                raise serializers.ValidationError(
                    _("A date and time with its UTC offset, like 2026-12-01T09:30:00+01:00."),
                    code="invalid",
                )
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")
        if not self.EARLIEST <= parsed < self.LATEST:
            self.fail("overflow")
        return parsed


class QueryBooleanField(serializers.Field):
    """A yes/no query parameter: `true` or `1`, `false` or `0`, in any case; empty is not
    given. DRF's BooleanField also takes `yes`, `on`, `t` and more, and a form's
    NullBooleanField reads anything unknown as "no filter": `overdue=maybe` must be a 400."""

    default_error_messages = {"invalid": gettext_lazy("Use true or false.")}

    def to_internal_value(self, data: Any) -> bool | None:
        text = str(data).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        if not text:
            return None
        self.fail("invalid")

    def to_representation(self, value: Any) -> bool | None:
        return value


class FilterSerializer(serializers.Serializer):
    """Query parameters of a list, parsed at the edge (HackSoft's FilterSerializer); a subclass
    turns its `validated_data` into the selector's typed filter. Parameters it does not declare
    are ignored (the pagination reads `cursor` and `page_size`); one that takes a single value is
    a 400 `repeated` when given twice, and not given at all when empty (`?wijk=`)."""

    def to_internal_value(self, data: Any) -> Any:
        single = [name for name, field in self.fields.items() if _single_valued(field)]
        refuse_repeated(data, single)
        if isinstance(data, QueryDict):
            data = data.copy()
            for name in single:
                if data.get(name) == "":
                    del data[name]
        return super().to_internal_value(data)
