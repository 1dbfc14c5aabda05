"""Serializer helpers shared by the apps."""

from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare (mass assignment, OWASP API3), at every nesting level,
    so a typo or an attempt to set a server-side field is an error instead of silently ignored."""

    default_error_messages = {"unknown_field": "Unknown field."}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [serializers.ErrorDetail("Unknown field.", code="unknown_field")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class DateTimeField(serializers.DateTimeField):  # noqa: TID251 - the one subclass
    """DRF's DateTimeField limited to 1970..2200 (UTC), the one every serializer uses (ruff bans
    DRF's own, see pyproject). DRF made a naive year-1 moment aware with an OverflowError, a
    500; moments near year 9999 passed but broke later arithmetic (due dates, time zones).
    Nothing this service records or filters on lies outside these years, so anything outside is
    a field error with DRF's `overflow` code."""

    EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
    LATEST = datetime(2200, 1, 1, tzinfo=UTC)

    def to_internal_value(self, value: Any) -> datetime:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")
        if not self.EARLIEST <= parsed < self.LATEST:
            self.fail("overflow")
        return parsed
