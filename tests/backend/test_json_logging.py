"""The JSON log line: its field names are what log collectors and docs/reliability.md rely on,
whichever library writes them (docs/adr/0024)."""

import json
import logging
import sys
from datetime import UTC, datetime

from backend.json_logging import JsonFormatter
from backend.request_context import RequestIdLogFilter, request_id_var


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "signals.tasks", logging.WARNING, __file__, 7, "routed %s", ("x",), None
    )
    record.created = datetime(2026, 1, 31, 23, 30, 5, 250000, tzinfo=UTC).timestamp()
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_log_line_has_time_level_logger_message_and_request_id():
    record = _record(signal_id="42")
    token = request_id_var.set("req-abcdef12")
    try:
        RequestIdLogFilter().filter(record)
    finally:
        request_id_var.reset(token)

    line = json.loads(JsonFormatter().format(record))

    assert line == {
        "time": "2026-01-31T23:30:05.250000+00:00",
        "level": "WARNING",
        "logger": "signals.tasks",
        "message": "routed x",
        "request_id": "req-abcdef12",
        "signal_id": "42",
    }


def test_a_record_outside_any_request_logs_the_request_id_as_a_dash():
    line = json.loads(JsonFormatter().format(_record()))
    assert line["request_id"] == "-"


def test_an_exception_is_logged_under_exception_and_private_attributes_are_left_out():
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record(_internal="hidden")
        record.exc_info = sys.exc_info()

    line = json.loads(JsonFormatter().format(record))

    assert "ValueError: boom" in line["exception"]
    assert "Traceback" in line["exception"]
    assert "_internal" not in line
    assert "exc_info" not in line
    assert set(line) == {"time", "level", "logger", "message", "request_id", "exception"}


class _Opaque:
    def __str__(self) -> str:
        return "opaque"


def test_a_value_json_cannot_encode_is_written_as_its_text():
    line = json.loads(JsonFormatter().format(_record(thing=_Opaque())))
    assert line["thing"] == "opaque"
