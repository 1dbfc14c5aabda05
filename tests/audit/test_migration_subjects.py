"""audit 0004: rows written before it that list several residents in `details.subject_ids` get
their AccessLogSubject rows, so the search by resident finds them (docs/adr/0047); the log
itself is untouched and still verifies."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import AccessLogSubject
from audit.sealing import access_log_seal
from audit.verify import verify_chain
from privacy.selectors import access_log_about_subject

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("audit", "0003_model_names")]


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def test_list_rows_written_before_the_migration_are_found_by_resident():
    one, two, alone = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(BEFORE)
        state = MigrationExecutor(connection).loader.project_state(BEFORE[0], at_end=True)
        OldAccessLog = state.apps.get_model("audit", "AccessLog")

        def row(**values):
            defaults = {"event_id": uuid.uuid4(), "occurred_at": timezone.now(),
                        "action": "list", "outcome": "success", "purpose": "signal_handling",
                        "actor_roles": [], "fields_touched": []}  # fmt: skip
            return OldAccessLog.objects.create(**{**defaults, **values})

        listed = row(details={"count": 3, "subject_ids": [str(one), str(two), str(one)]})
        single = row(subject_id=alone, action="read")
        row(details={"filters": {"subject_id": str(one)}})  # no list: not indexed
    finally:
        migrate(leaves)
    stored = AccessLogSubject.objects.values_list("event_id", "subject_id")
    assert sorted(stored) == sorted([(listed.event_id, one), (listed.event_id, two)])
    assert [r.event_id for r in access_log_about_subject(subject_id=two)] == [listed.event_id]
    assert [r.event_id for r in access_log_about_subject(subject_id=alone)] == [single.event_id]
    access_log_seal()
    assert verify_chain(seal=False).ok
