"""One JSON object per log line, written by python-json-logger (docs/adr/0024). This module
only names our fields: `time`, `level`, `logger`, `message`, `request_id` (set by
backend.request_context.RequestIdLogFilter, `-` outside a request or task), `exception`, and
whatever a caller passed in `extra`. Callers must never pass personal data in a log message or
its extras (docs/adr/0004)."""

from typing import Any

from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter


class JsonFormatter(LibraryJsonFormatter):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault(
            "rename_fields", {"levelname": "level", "name": "logger", "exc_info": "exception"}
        )
        kwargs.setdefault("defaults", {"request_id": "-"})
        super().__init__(**kwargs)
