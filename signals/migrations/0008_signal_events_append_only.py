"""Signal events are append-only in the database itself, as the access log is (privacy
migration 0002): UPDATE and DELETE of a signals_signalevent row raise, whoever runs them, and a
signal with events cannot be deleted (on_delete PROTECT). Erasure and retention never touch
events: they hold no personal values (docs/adr/0022).

TRUNCATE is left alone: Django's flush between transactional tests uses it, and a role that
may truncate may disable triggers too. SQLite (demo): RAISE(ABORT) triggers; SQLite drops them
when a migration rebuilds the table, so a later migration that alters this table must
re-create them."""

import django.db.models.deletion
from django.db import migrations, models

PG_FORWARD = """
CREATE OR REPLACE FUNCTION signals_signalevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'signals_signalevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER signals_signalevent_append_only
    BEFORE UPDATE OR DELETE ON signals_signalevent
    FOR EACH ROW EXECUTE FUNCTION signals_signalevent_refuse_change();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS signals_signalevent_append_only ON signals_signalevent;
DROP FUNCTION IF EXISTS signals_signalevent_refuse_change();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER signals_signalevent_no_update BEFORE UPDATE ON signals_signalevent
    BEGIN SELECT RAISE(ABORT, 'signals_signalevent is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER signals_signalevent_no_delete BEFORE DELETE ON signals_signalevent
    BEGIN SELECT RAISE(ABORT, 'signals_signalevent is append-only: DELETE refused'); END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS signals_signalevent_no_update",
    "DROP TRIGGER IF EXISTS signals_signalevent_no_delete",
]


def _run(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)  # no %-placeholders: RAISE uses %
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)
    else:
        raise RuntimeError(f"no append-only guard for database vendor {vendor!r}")


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("signals", "0007_drop_unused_group_object_permission")]

    operations = [
        migrations.AlterField(
            model_name="signalevent",
            name="signal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="signals.signal",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
