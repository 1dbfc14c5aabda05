"""The access log is append-only in the database itself: UPDATE, DELETE and TRUNCATE raise,
whoever runs them through whatever path (ORM, raw SQL, psql).

PostgreSQL: one row trigger for UPDATE/DELETE and one statement trigger for TRUNCATE. The one
way through is TRUNCATE by a superuser with `buurtsignaal.allow_access_log_truncate = on`: the
test settings set it so Django's flush between transactional tests works. A superuser can
disable triggers anyway, so this gives nothing away; the application's role should not be a
superuser nor own the table (then it cannot disable the triggers either).

SQLite (demo): RAISE(ABORT) triggers. SQLite drops triggers when a migration rebuilds the
table, so a later migration that alters this table must re-create them;
`manage.py verify_access_log` reports missing triggers.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION privacy_accesslog_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('buurtsignaal.allow_access_log_truncate', true) = 'on'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'privacy_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER privacy_accesslog_append_only
    BEFORE UPDATE OR DELETE ON privacy_accesslog
    FOR EACH ROW EXECUTE FUNCTION privacy_accesslog_refuse_change();
CREATE TRIGGER privacy_accesslog_no_truncate
    BEFORE TRUNCATE ON privacy_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_accesslog_refuse_change();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS privacy_accesslog_no_truncate ON privacy_accesslog;
DROP TRIGGER IF EXISTS privacy_accesslog_append_only ON privacy_accesslog;
DROP FUNCTION IF EXISTS privacy_accesslog_refuse_change();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER privacy_accesslog_no_update BEFORE UPDATE ON privacy_accesslog
    BEGIN SELECT RAISE(ABORT, 'privacy_accesslog is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER privacy_accesslog_no_delete BEFORE DELETE ON privacy_accesslog
    BEGIN SELECT RAISE(ABORT, 'privacy_accesslog is append-only: DELETE refused'); END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS privacy_accesslog_no_update",
    "DROP TRIGGER IF EXISTS privacy_accesslog_no_delete",
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
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
