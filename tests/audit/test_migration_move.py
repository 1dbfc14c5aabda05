"""The access log moved from the privacy app to audit (docs/adr/0020) by state-only migrations:
an existing database keeps its table, rows, chain and append-only triggers; a fresh one (the
test database itself) ends in the same shape; models and migrations agree."""

import uuid
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from audit import chain
from audit.context import AccessContext
from audit.models import AccessLog, Action, Purpose
from audit.sealing import access_log_seal
from audit.services import access_log_record
from audit.verify import append_only_guard_missing, verify_chain

# Migrations run outside a test transaction; serialized_rollback restores the seeded rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_THE_MOVE = [("audit", None)]  # audit 0001 and privacy 0007 unapplied
LAST_BEFORE = ("privacy", "0006_account_change_actions")


def migrate(targets) -> set:
    MigrationExecutor(connection).migrate(targets)
    return set(MigrationRecorder(connection).applied_migrations())


def state_at(node):
    return MigrationExecutor(connection).loader.project_state(node, at_end=True)


def ours():
    """The access log's content types (django-axes has an AccessLog model of its own)."""
    return ContentType.objects.filter(app_label__in=["audit", "privacy"], model="accesslog")


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def append_as_before_the_move(state) -> None:
    """One row as the privacy app wrote it: through its historical model, chained on the head."""
    OldAccessLog = state.apps.get_model("privacy", "AccessLog")
    head = OldAccessLog.objects.order_by("-sequence").first()
    row = OldAccessLog(
        event_id=uuid.uuid4(),
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        action="read",
        outcome="success",
        actor_roles=["privacy_officer"],
        fields_touched=[],
        purpose="audit",
        details={"written": "before the move"},
        previous_hash=head.row_hash,
    )
    row.row_hash = chain.row_hash(chain.row_values(row))
    row.save(force_insert=True)


def test_an_existing_database_keeps_its_rows_chain_and_triggers_through_the_move():
    for n in range(3):
        access_log_record(
            context=AccessContext.system(), action=Action.READ, purpose=Purpose.AUDIT, object_id=n
        )
    access_log_seal()  # the move predates unsealed rows (audit 0002)
    try:
        applied = migrate(BEFORE_THE_MOVE)
        assert LAST_BEFORE in applied
        assert ("audit", "0001_initial") not in applied
        assert ("privacy", "0007_access_log_moved_to_audit") not in applied
        # As on a database that never saw the audit app: one content type, privacy's.
        ContentType.objects.filter(app_label="audit", model="accesslog").delete()
        old_type = ContentType.objects.get(app_label="privacy", model="accesslog")
        append_as_before_the_move(state_at(LAST_BEFORE))
    finally:
        applied = migrate(leaves())

    assert {("audit", "0001_initial"), ("privacy", "0007_access_log_moved_to_audit")} <= applied
    state = MigrationExecutor(connection).loader.project_state()
    assert ("audit", "accesslog") in state.models
    assert ("privacy", "accesslog") not in state.models
    assert AccessLog._meta.db_table == "privacy_accesslog"
    assert AccessLog.objects.count() == 4
    assert AccessLog.objects.order_by("-sequence").first().details == {"written": "before the move"}
    report = verify_chain()
    assert report.ok, report.findings
    assert append_only_guard_missing() == []
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.update(details={})
    assert list(ours().values_list("app_label", "pk")) == [("audit", old_type.pk)]


def test_a_fresh_database_has_the_access_log_under_audit_with_its_guards():
    """The test database is migrated from nothing at the start of the run."""
    assert AccessLog._meta.app_label == "audit"
    assert AccessLog._meta.db_table == "privacy_accesslog"
    assert append_only_guard_missing() == []
    assert list(ours().values_list("app_label", flat=True)) in ([], ["audit"])


def test_the_models_need_no_migration_that_is_not_there():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
