"""audit 0002: rows chained before it (sequence and hashes written by the request) keep their
values and verify; new rows are written unsealed and chained behind them (docs/adr/0025)."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit import chain
from audit.context import AccessContext
from audit.models import AccessLog, Action, Purpose
from audit.sealing import access_log_seal
from audit.services import access_log_record
from audit.verify import append_only_guard_missing, verify_chain

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("audit", "0001_initial")]


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def chain_as_before(count: int) -> list[tuple]:
    """Rows as the request path wrote them before audit 0002: numbered and hashed at once."""
    state = MigrationExecutor(connection).loader.project_state(BEFORE[0], at_end=True)
    OldAccessLog = state.apps.get_model("audit", "AccessLog")
    previous, written = chain.GENESIS_HASH, []
    for sequence in range(1, count + 1):
        row = OldAccessLog(
            event_id=uuid.uuid4(),
            sequence=sequence,
            occurred_at=timezone.now(),
            action="read",
            outcome="success",
            actor_roles=["system"],
            fields_touched=[],
            purpose="audit",
            details={"old": sequence},
            previous_hash=previous,
        )
        row.row_hash = previous = chain.row_hash(chain.row_values(row))
        row.save(force_insert=True)
        written.append((row.event_id, row.sequence, row.previous_hash, row.row_hash))
    return written


def test_rows_chained_before_the_migration_stay_as_they_are_and_new_rows_chain_behind_them():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(BEFORE)
        before = chain_as_before(3)
    finally:
        migrate(leaves)

    after = AccessLog.objects.order_by("sequence").values_list(
        "event_id", "sequence", "previous_hash", "row_hash"
    )
    assert list(after) == before
    assert append_only_guard_missing() == []
    access_log_record(context=AccessContext.system(), action=Action.READ, purpose=Purpose.AUDIT)
    assert access_log_seal().sealed == 1
    report = verify_chain(seal=False)
    assert report.ok, report.findings
    assert report.head_sequence == 4
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(sequence=1).update(details={})
