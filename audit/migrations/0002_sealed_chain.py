"""Rows are written without their chain columns and sealed afterwards (docs/adr/0025).

`sequence`, `previous_hash` and `row_hash` may be NULL until the sealer (audit.sealing) fills
them. Existing rows are sealed already and stay exactly as they are: same values, same hashes
(the hashed form is unchanged), so the chain verifies across this migration.

The append-only guard now lets exactly one UPDATE through: the three chain columns of an
unsealed row going from NULL to values together, every other column unchanged. Anything else
(changing a sealed row, sealing one column, changing content while sealing) still raises.
PostgreSQL: the trigger function of privacy migration 0002 is replaced, its triggers stay.
SQLite (demo): altering the columns rebuilds the table and drops its triggers, so they are
created again, with the same exception.

Indexes follow the new list order (written time, then id); a partial index finds unsealed rows.
Backwards only while every row is sealed (the NOT NULL constraints come back).
"""

from django.db import migrations, models

# Every column but the three the sealer fills (audit.chain.HASHED_FIELDS minus previous_hash).
UNCHANGED_WHEN_SEALED = (
    "event_id", "occurred_at", "action", "outcome", "actor_id", "actor_roles",
    "actor_organisation_id", "client_address", "user_agent", "subject_id", "object_type",
    "object_id", "fields_touched", "purpose", "authorisation_rule", "consent_id", "request_id",
    "details",
)  # fmt: skip
CHAIN_COLUMNS = ("sequence", "previous_hash", "row_hash")

# Sealing: the chain columns go from NULL to values together; nothing else changes.
PG_LET_SEALING_THROUGH = """
    IF TG_OP = 'UPDATE' THEN
        IF OLD.sequence IS NULL AND OLD.previous_hash IS NULL AND OLD.row_hash IS NULL
           AND NEW.sequence IS NOT NULL AND NEW.previous_hash IS NOT NULL
           AND NEW.row_hash IS NOT NULL
           AND to_jsonb(NEW) - 'sequence' - 'previous_hash' - 'row_hash'
               = to_jsonb(OLD) - 'sequence' - 'previous_hash' - 'row_hash' THEN
            RETURN NEW;
        END IF;
    END IF;"""


def _pg_function(*, sealing_allowed: bool) -> str:
    """The trigger function of privacy migration 0002, with or without the sealing exception."""
    return f"""
CREATE OR REPLACE FUNCTION privacy_accesslog_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN{PG_LET_SEALING_THROUGH if sealing_allowed else ""}
    IF TG_OP = 'TRUNCATE'
       AND current_setting('buurtsignaal.allow_access_log_truncate', true) = 'on'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'privacy_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def _sqlite_triggers(*, sealing_allowed: bool) -> list[str]:
    condition = ""
    if sealing_allowed:
        sealing = " AND ".join(
            [f"OLD.{c} IS NULL" for c in CHAIN_COLUMNS]
            + [f"NEW.{c} IS NOT NULL" for c in CHAIN_COLUMNS]
            + [f"NEW.{c} IS OLD.{c}" for c in UNCHANGED_WHEN_SEALED]
        )
        condition = f" WHEN NOT ({sealing})"
    return [
        "DROP TRIGGER IF EXISTS privacy_accesslog_no_update",
        "DROP TRIGGER IF EXISTS privacy_accesslog_no_delete",
        f"""CREATE TRIGGER privacy_accesslog_no_update BEFORE UPDATE ON privacy_accesslog
        FOR EACH ROW{condition}
        BEGIN SELECT RAISE(ABORT, 'privacy_accesslog is append-only: UPDATE refused'); END""",
        """CREATE TRIGGER privacy_accesslog_no_delete BEFORE DELETE ON privacy_accesslog
        BEGIN SELECT RAISE(ABORT, 'privacy_accesslog is append-only: DELETE refused'); END""",
    ]


def _guard(schema_editor, *, sealing_allowed: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No %-placeholders: RAISE uses %.
        schema_editor.execute(_pg_function(sealing_allowed=sealing_allowed), params=None)
    elif vendor == "sqlite":
        for statement in _sqlite_triggers(sealing_allowed=sealing_allowed):
            schema_editor.execute(statement, params=None)
    else:
        raise RuntimeError(f"no append-only guard for database vendor {vendor!r}")


def forward(apps, schema_editor):
    _guard(schema_editor, sealing_allowed=True)


def backward(apps, schema_editor):
    _guard(schema_editor, sealing_allowed=False)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='accesslog',
            options={'default_permissions': (), 'ordering': ['-occurred_at', '-event_id']},
        ),
        migrations.RemoveIndex(
            model_name='accesslog',
            name='accesslog_subject_idx',
        ),
        migrations.RemoveIndex(
            model_name='accesslog',
            name='accesslog_actor_idx',
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='previous_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='row_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='sequence',
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name='accesslog',
            index=models.Index(fields=['subject_id', '-occurred_at'], name='accesslog_subject_time_idx'),
        ),
        migrations.AddIndex(
            model_name='accesslog',
            index=models.Index(fields=['actor_id', '-occurred_at'], name='accesslog_actor_time_idx'),
        ),
        migrations.AddIndex(
            model_name='accesslog',
            index=models.Index(condition=models.Q(('row_hash__isnull', True)), fields=['occurred_at', 'event_id'], name='accesslog_unsealed_idx'),
        ),
        migrations.RunPython(forward, backward),
    ]
