"""The access log cannot be changed through the application's database role: not through the
ORM, not through raw SQL, not by a role that is not the table owner."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AccessLog
from audit.verify import append_only_guard_missing
from tests.privacy.helpers import write_rows

pytestmark = pytest.mark.django_db

APP_ROLE = "bs_privacy_test_app"


def refused(operation) -> str:
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        operation()
    return str(info.value)


def test_orm_update_and_delete_are_refused():
    row = write_rows(2)[0]
    assert "append-only" in refused(
        lambda: AccessLog.objects.filter(pk=row.pk).update(purpose="audit")
    )
    assert "append-only" in refused(lambda: AccessLog.objects.all().delete())
    row.purpose = "audit"
    assert "append-only" in refused(lambda: row.save())
    assert "append-only" in refused(lambda: row.delete())
    assert AccessLog.objects.filter(purpose="signal_handling").count() == 2


def raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_raw_sql_update_delete_and_truncate_are_refused():
    write_rows(1)
    assert "UPDATE refused" in refused(lambda: raw("UPDATE privacy_accesslog SET action = 'x'"))
    assert "DELETE refused" in refused(lambda: raw("DELETE FROM privacy_accesslog"))
    # The test settings let a superuser TRUNCATE (Django's flush); switch that off here.
    raw("SET LOCAL buurtsignaal.allow_access_log_truncate = off")
    assert "TRUNCATE refused" in refused(lambda: raw("TRUNCATE privacy_accesslog"))
    assert AccessLog.objects.count() == 1


def test_a_non_owner_app_role_cannot_change_rows_nor_switch_the_triggers_off():
    """The deployment shape: the app connects as a role with DML rights that does not own the
    table. Even with the flush setting on, it can neither change rows nor disable the guard."""
    write_rows(1)
    raw(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    raw(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON privacy_accesslog TO {APP_ROLE}")
    raw(f"SET LOCAL ROLE {APP_ROLE}")
    assert "append-only" in refused(lambda: raw("UPDATE privacy_accesslog SET action = 'x'"))
    assert "append-only" in refused(lambda: raw("DELETE FROM privacy_accesslog"))
    assert "append-only" in refused(lambda: raw("TRUNCATE privacy_accesslog"))
    assert "must be owner" in refused(
        lambda: raw("ALTER TABLE privacy_accesslog DISABLE TRIGGER privacy_accesslog_append_only")
    )
    raw("RESET ROLE")
    assert AccessLog.objects.count() == 1


def test_the_triggers_are_installed_and_enabled():
    assert append_only_guard_missing() == []


CHAIN_VALUES = "sequence = 99, previous_hash = repeat('a', 64), row_hash = repeat('b', 64)"


def unsealed_row() -> AccessLog:
    return write_rows(1, sealed=False)[0]


def test_the_trigger_lets_exactly_the_sealing_update_through():
    row = unsealed_row()
    raw(f"UPDATE privacy_accesslog SET {CHAIN_VALUES} WHERE event_id = '{row.pk}'")
    assert AccessLog.objects.get(pk=row.pk).sequence == 99


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("purpose = 'audit'", id="content-of-an-unsealed-row"),
        pytest.param(f"{CHAIN_VALUES}, purpose = 'audit'", id="content-while-sealing"),
        pytest.param("row_hash = repeat('b', 64)", id="one-chain-column"),
        pytest.param("sequence = 7, row_hash = repeat('b', 64)", id="two-chain-columns"),
    ],
)
def test_the_trigger_refuses_any_other_update_of_an_unsealed_row(change):
    row = unsealed_row()
    statement = f"UPDATE privacy_accesslog SET {change} WHERE event_id = '{row.pk}'"
    assert "UPDATE refused" in refused(lambda: raw(statement))


def test_a_sealed_row_cannot_be_sealed_again():
    row = write_rows(1)[0]
    statement = f"UPDATE privacy_accesslog SET {CHAIN_VALUES} WHERE event_id = '{row.pk}'"
    assert "UPDATE refused" in refused(lambda: raw(statement))
    assert "UPDATE refused" in refused(
        lambda: raw(f"UPDATE privacy_accesslog SET sequence = NULL, previous_hash = NULL, "
                    f"row_hash = NULL WHERE event_id = '{row.pk}'")
    )  # fmt: skip
