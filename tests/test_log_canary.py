"""Canary: a signal full of recognisable personal values goes through the API from intake to
withdrawal (routing task, transitions, notes, forward, break-glass, refusals, a validation error
and a failed log write on the way). None of the values may appear in any log record of any
logger (application, Celery, django.request), in the access log or in SignalEvent.data; and the
signals table holds them only as ciphertext."""

import json
import logging
from collections.abc import Iterator

import pytest
from django.db import connection

from accounts.models import TeamRole
from audit import chain
from audit.models import AccessLog
from backend.json_logging import JsonFormatter
from signals import services
from signals.models import Signal, SignalEvent, SignalNote, Status
from signals.tasks import route_signal
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.signals.factories import intake_payload, team_with_coverage

pytestmark = pytest.mark.django_db

RESIDENT = {
    "first_name": "Kanariegeertje",
    "phone": "+31 6 19283746",
    "email": "kanarie.bewoonster@example.test",
}
ADDRESS = {"postcode": "3511 ab", "house_number": 3, "addition": "kanarie"}
OBSERVATION = "KANARIE-OBSERVATIE: zit sinds de dood van haar man alleen thuis."
NOTE = "KANARIE-NOTITIE: dochter Kanariemarleen belt eens per maand."
FORWARD_REASON = "KANARIE-DOORSTUUR: woont eigenlijk bij haar zus in Overvecht."
BREAK_GLASS_REASON = "KANARIE-BREAKGLASS: zus belde de centrale lijn over haar."
WITHDRAW_REASON = "KANARIE-INTREKKING: wil niet meer gebeld worden."
# Searched case-insensitively in every captured text.
CANARIES = [
    "kanarie",
    RESIDENT["first_name"],
    "19283746",
    "6 19283746",
    RESIDENT["email"],
    "3511 ab",
    "3511ab",
    "dood van haar man",
    "dochter",
    "zus belde",
    "niet meer gebeld",
]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def every_log_record() -> Iterator[list[logging.LogRecord]]:
    """Every record of every logger at DEBUG, also those that do not propagate to the root."""
    handler = _Collect()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level) for logger in loggers]
    hooked = [logger for logger in loggers if logger is root or not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in hooked:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in hooked:
            logger.removeHandler(handler)
        for logger, level in saved:
            logger.setLevel(level)


def leaks(texts: list[str]) -> list[tuple[str, str]]:
    return [
        (canary, text[:200])
        for text in texts
        for canary in CANARIES
        if canary.lower() in text.lower()
    ]


def refuse_log_inserts(on: bool) -> None:
    with connection.cursor() as cursor:
        if on:
            cursor.execute(
                "CREATE FUNCTION pg_temp.canary_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'access log storage unavailable'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER canary_refuse BEFORE INSERT ON privacy_accesslog "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.canary_refuse()"
            )
        else:
            cursor.execute("DROP TRIGGER canary_refuse ON privacy_accesslog")


def test_no_personal_value_reaches_a_log_the_access_log_or_an_event(
    every_log_record, django_capture_on_commit_callbacks
):
    team = team_with_coverage()
    other_team = team_with_coverage("Buurtteam Overvecht", postcode="3563AB")
    member = member_of(team)
    coordinator = member_of(team, TeamRole.COORDINATOR)
    outsider = member_of(team_with_coverage("Buurtteam Zuid", postcode="3523AB"))
    signaller = UserFactory(field_worker=True)
    fw, mem, coord, out = (token_client(u) for u in (signaller, member, coordinator, outsider))

    # A validation error: the refused values must not be echoed into a log (nor the answer).
    bad = intake_payload(
        resident={**RESIDENT, "email": "kanarie-geen-adres"},
        address={**ADDRESS, "postcode": "kanarie 12"},
    )
    refused = fw.post("/api/v1/signals", bad, format="json")
    assert refused.status_code == 400
    assert "kanarie" not in refused.content.decode().lower()

    with django_capture_on_commit_callbacks(execute=True):
        created = fw.post(
            "/api/v1/signals",
            intake_payload(resident=RESIDENT, address=ADDRESS, observation=OBSERVATION),
            format="json",
        )
    assert created.status_code == 201, created.content
    signal = Signal.objects.get(pk=created.json()["id"])
    assert signal.resident_first_name == RESIDENT["first_name"]  # the canary is really in it

    route_signal.apply(args=[str(signal.pk)])
    signal.refresh_from_db()
    assert (signal.status, signal.team) == (Status.ROUTED, team)
    base = f"/api/v1/signals/{signal.pk}"

    assert mem.get(base).json()["resident"]["first_name"] == RESIDENT["first_name"]
    assert mem.post(f"{base}/assign", {"version": signal.version}, format="json").status_code == 200
    signal.refresh_from_db()
    step = {"to": "acknowledged", "version": signal.version, "note": NOTE}
    assert mem.post(f"{base}/transitions", step, format="json").status_code == 200
    assert mem.post(f"{base}/notes", {"body": NOTE}, format="json").status_code == 201
    illegal = mem.post(f"{base}/transitions", {"to": "closed", "version": 1}, format="json")
    assert illegal.status_code == 409
    assert out.get(base).status_code == 404  # a denial

    glass = out.post(f"{base}/break-glass", {"reason": BREAK_GLASS_REASON}, format="json")
    assert glass.status_code == 201
    assert out.get(base).status_code == 200
    assert out.post(f"{base}/notes", {"body": NOTE}, format="json").status_code == 403

    refuse_log_inserts(True)
    mem.raise_request_exception = False
    assert mem.get(base).status_code == 500  # fail closed, and the traceback is logged
    refuse_log_inserts(False)

    signal.refresh_from_db()
    forward = {"team": str(other_team.pk), "version": signal.version, "reason": FORWARD_REASON}
    with django_capture_on_commit_callbacks(execute=True):
        assert coord.post(f"{base}/forward", forward, format="json").status_code == 202
    route_signal.apply(args=[str(signal.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = fw.post(f"{base}/withdraw-consent", {"reason": WITHDRAW_REASON}, format="json")
    assert withdrawn.status_code == 200

    formatter = JsonFormatter()
    log_lines = []
    for record in every_log_record:
        log_lines.append(formatter.format(record))
        log_lines.append(logging.Formatter().format(record))  # message and traceback as text
    loggers = {record.name for record in every_log_record}
    # The capture saw the framework, Celery and the request log: an empty one proves nothing.
    assert "django.request" in loggers
    assert any(name.startswith("celery") for name in loggers), loggers
    assert any(record.levelno >= logging.ERROR for record in every_log_record)
    assert leaks(log_lines) == []

    access_rows = [
        json.dumps(chain.row_values(row), default=str) for row in AccessLog.objects.all()
    ]
    assert len(access_rows) >= 10
    assert leaks(access_rows) == []
    events = [json.dumps(event.data) for event in SignalEvent.objects.all()]
    assert leaks(events) == []


def test_the_signal_columns_hold_ciphertext():
    member = member_of(team_with_coverage())
    signaller = UserFactory(field_worker=True)
    body = intake_payload(resident=RESIDENT, address=ADDRESS, observation=OBSERVATION)
    signal_id = token_client(signaller).post("/api/v1/signals", body, format="json").json()["id"]
    route_signal(signal_id)  # to the team, whose member writes the note
    services.signal_note_add(signal_id=signal_id, actor=member, body=NOTE)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signals_signal WHERE id = %s", [signal_id])
        signal_row = [str(value) for value in cursor.fetchone()]
        cursor.execute("SELECT body FROM signals_signalnote WHERE signal_id = %s", [signal_id])
        note_row = [str(value) for value in cursor.fetchone()]
    assert leaks(signal_row + note_row) == []
    assert SignalNote.objects.get(signal_id=signal_id).body == NOTE
