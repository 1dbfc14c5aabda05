"""The access-log CSV export streams keyset pages (privacy.selectors.access_log_stream, docs/adr/
0047): every row exactly once, in the list's order, also where rows share a timestamp at a page
boundary, each page its own bounded query (no cursor held while the client reads)."""

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.context import AccessContext
from audit.models import AccessLog, AccessOutcome, Action, Purpose
from audit.services import access_log_record
from privacy import api
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("audit-access-log-export")
SAME_MOMENT = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def pages_of_two(monkeypatch):
    monkeypatch.setattr(api, "EXPORT_PAGE_SIZE", 2)


def row_at(moment: datetime, *, subject=None) -> AccessLog:
    row = AccessLog(
        occurred_at=moment,
        action=Action.READ,
        outcome=AccessOutcome.SUCCESS,
        purpose=Purpose.SIGNAL_HANDLING,
        subject_id=subject,
        object_type="signals.signal",
    )
    row.save(force_insert=True)
    return row


def exported(client, **params) -> tuple[list[str], list]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200, response.content
    with CaptureQueriesContext(connection) as queries:
        body = b"".join(response.streaming_content).decode()
    return [
        line["event_id"] for line in csv.DictReader(io.StringIO(body))
    ], queries.captured_queries


def test_every_row_once_in_order_across_pages_with_tied_timestamps(client_for, pages_of_two):
    rows = [row_at(SAME_MOMENT) for _ in range(5)] + [row_at(datetime(2026, 11, 2, tzinfo=UTC))]
    officer = UserFactory(privacy_officer=True)
    ids, queries = exported(client_for(officer), to="2026-11-04T00:00:00Z")
    expected = sorted(rows, key=lambda r: (r.occurred_at, r.event_id), reverse=True)
    assert ids == [str(r.event_id) for r in expected]
    # access_log_page reads one row past the page to know whether another follows (LIMIT 3)
    pages = [q["sql"] for q in queries if "LIMIT 3" in q["sql"]]
    assert len(pages) == 3  # 2 + 2 + 2: each page its own keyset query


def test_a_subject_export_streams_direct_and_listed_rows(client_for, pages_of_two):
    subject = uuid.uuid4()
    direct = [row_at(SAME_MOMENT, subject=subject) for _ in range(2)]
    listed = access_log_record(
        context=AccessContext.system(),
        action=Action.LIST,
        purpose=Purpose.SIGNAL_HANDLING,
        details={"count": 2, "subject_ids": [str(uuid.uuid4()), str(subject)]},
    )
    row_at(SAME_MOMENT, subject=uuid.uuid4())  # someone else's
    officer = UserFactory(privacy_officer=True)
    ids, _ = exported(client_for(officer), subject=str(subject))
    audit_read = AccessLog.objects.get(action=Action.AUDIT_READ)  # about the same subject
    assert set(ids) == {str(r.event_id) for r in [*direct, listed, audit_read]}
    assert len(ids) == 4
