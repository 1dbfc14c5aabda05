"""`manage.py verify_access_log` catches each kind of tampering and names the row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit import chain
from audit.models import AccessLog
from audit.verify import verify_chain
from tests.privacy.helpers import triggers_disabled, write_rows

pytestmark = pytest.mark.django_db


def run_verifier(*args: str) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("verify_access_log", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def tampered(*args: str) -> str:
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("verify_access_log", *args, stdout=StringIO(), stderr=err)
    assert info.value.returncode == 1
    return err.getvalue()


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_chain_passes_and_prints_its_head():
    rows = write_rows(4)
    out, err = run_verifier()
    assert err == ""
    assert f"4 rows; head 4:{rows[-1].row_hash}" in out


def test_an_empty_log_passes():
    out, _ = run_verifier()
    assert "0 rows" in out


def test_an_edited_row_is_named():
    rows = write_rows(5)
    with triggers_disabled():
        sql("UPDATE privacy_accesslog SET purpose = 'audit' WHERE sequence = 3", [])
    report = tampered()
    assert f"edited: row at sequence 3 (event {rows[2].event_id})" in report
    assert report.count("TAMPERED") == 1


def test_an_edit_with_a_recomputed_hash_is_caught_by_the_next_link():
    rows = write_rows(4)
    row = AccessLog.objects.get(sequence=2)
    row.object_id = "someone-else"
    new_hash = chain.row_hash(chain.row_values(row))
    with triggers_disabled():
        sql(
            "UPDATE privacy_accesslog SET object_id = %s, row_hash = %s WHERE sequence = 2",
            ["someone-else", new_hash],
        )
    report = tampered()
    assert f"edited: row at sequence 2 (event {rows[1].event_id}) was edited and its hash" in report


def test_a_deleted_row_is_named_by_its_sequence():
    rows = write_rows(5)
    with triggers_disabled():
        sql("DELETE FROM privacy_accesslog WHERE sequence = 3", [])
    report = tampered()
    assert f"deleted: row(s) 3 deleted: missing before sequence 4 (event {rows[3].event_id})" in (
        report
    )
    assert report.count("TAMPERED") == 1


def test_deleted_first_rows_are_caught():
    write_rows(3)
    with triggers_disabled():
        sql("DELETE FROM privacy_accesslog WHERE sequence <= 2", [])
    assert "row(s) 1-2 deleted" in tampered()


def test_reordered_rows_are_named():
    rows = write_rows(5)
    with triggers_disabled():
        sql("UPDATE privacy_accesslog SET sequence = -1 WHERE sequence = 3", [])
        sql("UPDATE privacy_accesslog SET sequence = 3 WHERE sequence = 4", [])
        sql("UPDATE privacy_accesslog SET sequence = 4 WHERE sequence = -1", [])
    report = tampered()
    assert f"reordered: row at sequence 3 (event {rows[3].event_id}) was moved" in report
    assert f"reordered: row at sequence 4 (event {rows[2].event_id}) was moved" in report
    assert report.count("TAMPERED") == 2  # the untouched row after them is not blamed


def test_deleting_the_newest_rows_is_caught_with_an_anchored_head():
    rows = write_rows(4)
    head = f"{rows[-1].sequence}:{rows[-1].row_hash}"
    run_verifier("--expect-head", head)
    with triggers_disabled():
        sql("DELETE FROM privacy_accesslog WHERE sequence = 4", [])
    run_verifier()  # a chain cut at its end still looks intact on its own ...
    assert "anchored head row 4 is gone" in tampered("--expect-head", head)  # ... not anchored


def test_an_anchored_head_row_rewritten_with_a_new_hash_is_caught():
    """The newest row edited and its hash recomputed: no later row links to it, so only the
    anchor can tell (the break the suite let through: dropping the head-hash comparison)."""
    rows = write_rows(4)
    head = f"{rows[-1].sequence}:{rows[-1].row_hash}"
    row = AccessLog.objects.get(sequence=4)
    row.object_id = "someone-else"
    new_hash = chain.row_hash(chain.row_values(row))
    with triggers_disabled():
        sql(
            "UPDATE privacy_accesslog SET object_id = %s, row_hash = %s WHERE sequence = 4",
            ["someone-else", new_hash],
        )
    run_verifier()  # on its own the rewritten head fits the chain ...
    report = tampered("--expect-head", head)  # ... against the anchor it does not
    assert "head_mismatch: row 4 no longer has the anchored hash" in report
    assert report.count("TAMPERED") == 1


def test_a_disabled_trigger_is_reported():
    write_rows(1)
    with triggers_disabled():
        report = verify_chain()
    assert [f.kind for f in report.findings] == ["guard_missing"]
    assert "privacy_accesslog_append_only" in report.findings[0].message


def test_a_malformed_head_is_a_usage_error():
    with pytest.raises(CommandError, match="SEQUENCE:SHA256"):
        run_verifier("--expect-head", "four")


def test_a_rows_own_hash_covers_its_link_to_the_previous_row():
    """Else the link of the newest row, which no later row checks, could be rewritten together
    with the row before it without its own hash changing."""
    newest = write_rows(2)[-1]
    newest.previous_hash = "f" * 64
    assert chain.row_hash(chain.row_values(newest)) != newest.row_hash


def test_the_verifier_seals_what_is_unsealed_before_it_verifies():
    write_rows(3, sealed=False)
    out, err = run_verifier()
    assert err == ""
    assert "sealed 3 row(s) before verifying" in out
    assert "access log intact: 3 rows; head 3:" in out


def test_a_row_left_unsealed_longer_than_the_bound_fails_verification(settings):
    settings.ACCESS_LOG_SEAL_MAX_AGE_SECONDS = 0  # any row written before now is overdue
    write_rows(2)
    (late,) = write_rows(1, sealed=False)
    report = tampered("--no-seal")
    assert f"unsealed: row (event {late.event_id}) written at" in report
    assert report.count("TAMPERED") == 1
    run_verifier()  # sealing it settles it


def test_a_young_unsealed_row_is_not_a_finding():
    write_rows(2)
    write_rows(1, sealed=False)
    out, _ = run_verifier("--no-seal")
    assert "access log intact: 2 rows" in out


def test_a_row_with_only_some_chain_columns_is_malformed():
    (row,) = write_rows(1, sealed=False)
    with triggers_disabled():
        sql("UPDATE privacy_accesslog SET row_hash = %s WHERE event_id = %s", ["f" * 64, row.pk])
    report = tampered("--no-seal")
    assert f"malformed: row (event {row.event_id}) has only some of its chain columns" in report
