"""The verifier walks the chain in keyset pages (ACCESS_LOG_VERIFY_PAGE_SIZE, docs/adr/0047):
the links across a page boundary are checked like any other, tampering is found on either side
of one, and it checks the residents indexed for rows about several against their details."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit import chain
from audit.context import AccessContext
from audit.models import AccessLog, AccessLogSubject, Action, Purpose
from audit.sealing import access_log_seal
from audit.services import access_log_record
from audit.verify import verify_chain
from tests.privacy.helpers import triggers_disabled, write_rows

pytestmark = pytest.mark.django_db


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def pages_of_two(settings):
    settings.ACCESS_LOG_VERIFY_PAGE_SIZE = 2


def test_an_intact_chain_verifies_across_page_boundaries(pages_of_two):
    rows = write_rows(7)
    with CaptureQueriesContext(connection) as queries:
        report = verify_chain(seal=False)
    assert report.ok, report.findings
    assert (report.rows, report.head_sequence, report.head_hash) == (7, 7, rows[-1].row_hash)
    pages = [
        q["sql"]
        for q in queries
        if 'FROM "privacy_accesslog"' in q["sql"] and "LIMIT 2" in q["sql"]
    ]
    assert len(pages) == 4  # 2 + 2 + 2 + 1, each its own keyset query
    assert all('"sequence" >' in page for page in pages)
    assert not any("DECLARE" in q["sql"] for q in queries)  # no server-side cursor


@pytest.mark.parametrize("sequence", [2, 3])  # the last row of a page, the first of the next
def test_a_row_changed_at_a_page_boundary_is_found(pages_of_two, sequence):
    rows = write_rows(6)
    with triggers_disabled():
        sql("UPDATE privacy_accesslog SET purpose = 'audit' WHERE sequence = %s", [sequence])
    report = verify_chain(seal=False)
    assert [(f.kind, f.sequence) for f in report.findings] == [("edited", sequence)]
    assert report.findings[0].event_id == str(rows[sequence - 1].event_id)


def test_a_rewritten_hash_is_caught_by_the_link_in_the_next_page(pages_of_two):
    write_rows(4)
    row = AccessLog.objects.get(sequence=2)
    row.object_id = "someone-else"
    with triggers_disabled():
        sql(
            "UPDATE privacy_accesslog SET object_id = %s, row_hash = %s WHERE sequence = 2",
            ["someone-else", chain.row_hash(chain.row_values(row))],
        )
    report = verify_chain(seal=False)
    assert [(f.kind, f.sequence) for f in report.findings] == [("edited", 2)]


def test_an_anchored_head_whose_hash_changed_is_caught(pages_of_two):
    rows = write_rows(5)
    anchor = (5, rows[-1].row_hash)
    assert verify_chain(seal=False, expect_head=anchor).ok
    row = AccessLog.objects.get(sequence=5)
    row.object_id = "someone-else"
    with triggers_disabled():
        sql(
            "UPDATE privacy_accesslog SET object_id = %s, row_hash = %s WHERE sequence = 5",
            ["someone-else", chain.row_hash(chain.row_values(row))],
        )
    assert verify_chain(seal=False).ok  # on its own the rewritten head fits the chain
    report = verify_chain(seal=False, expect_head=anchor)
    assert [(f.kind, f.sequence) for f in report.findings] == [("head_mismatch", 5)]


def _list_row(subjects: list[uuid.UUID]) -> AccessLog:
    return access_log_record(
        context=AccessContext.system(),
        action=Action.LIST,
        purpose=Purpose.SIGNAL_HANDLING,
        object_type="signals.signal",
        details={"count": len(subjects), "subject_ids": [str(s) for s in subjects]},
    )


def test_rows_about_several_residents_index_each_once():
    one, two = uuid.uuid4(), uuid.uuid4()
    row = _list_row([one, two, one])
    stored = AccessLogSubject.objects.filter(event_id=row.event_id)
    assert sorted(stored.values_list("subject_id", flat=True)) == sorted([one, two])


def test_a_deleted_index_row_is_found(pages_of_two):
    one, two = uuid.uuid4(), uuid.uuid4()
    write_rows(2, sealed=False)
    row = _list_row([one, two])
    access_log_seal()
    assert verify_chain(seal=False).ok
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE audit_accesslogsubject DISABLE TRIGGER audit_accesslogsubject_append_only"
        )
        cursor.execute("DELETE FROM audit_accesslogsubject WHERE subject_id = %s", [two])
        cursor.execute(
            "ALTER TABLE audit_accesslogsubject ENABLE TRIGGER audit_accesslogsubject_append_only"
        )
    report = verify_chain(seal=False)
    assert [(f.kind, f.event_id) for f in report.findings] == [
        ("subjects_mismatch", str(row.event_id))
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accesslogsubject SET subject_id = gen_random_uuid() WHERE event_id = %s",
        "DELETE FROM audit_accesslogsubject WHERE event_id = %s",
    ],
)
def test_the_index_of_residents_is_append_only(statement):
    row = _list_row([uuid.uuid4()])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql(statement, [str(row.event_id)])
