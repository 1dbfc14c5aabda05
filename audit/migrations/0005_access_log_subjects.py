"""The residents of access-log rows about several at once, in a table of their own with an
index (docs/adr/0047): the search by resident and the Art. 15 export no longer match text in
`details`.

Backfill: every existing row whose `details.subject_ids` lists residents gets one row per
resident here, in one statement (the access log itself is not changed, so its chain and its
append-only guard stay as they are). The new table is append-only like the log: PostgreSQL
refuses UPDATE, DELETE and TRUNCATE (TRUNCATE let through for a superuser with
buurtsignaal.allow_access_log_truncate on, as the log's own guard); SQLite refuses UPDATE and
DELETE.
"""

from django.db import migrations, models

PG_GUARD = """
CREATE OR REPLACE FUNCTION audit_accesslogsubject_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('buurtsignaal.allow_access_log_truncate', true) = 'on'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_accesslogsubject is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_accesslogsubject_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslogsubject
    FOR EACH ROW EXECUTE FUNCTION audit_accesslogsubject_refuse_change();
CREATE TRIGGER audit_accesslogsubject_no_truncate
    BEFORE TRUNCATE ON audit_accesslogsubject
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslogsubject_refuse_change();
"""
PG_GUARD_BACKWARD = """
DROP TRIGGER IF EXISTS audit_accesslogsubject_no_truncate ON audit_accesslogsubject;
DROP TRIGGER IF EXISTS audit_accesslogsubject_append_only ON audit_accesslogsubject;
DROP FUNCTION IF EXISTS audit_accesslogsubject_refuse_change();
"""
PG_BACKFILL = """
INSERT INTO audit_accesslogsubject (event_id, subject_id)
SELECT DISTINCT log.event_id, listed.value::uuid
FROM privacy_accesslog AS log
CROSS JOIN LATERAL jsonb_array_elements_text(log.details -> 'subject_ids') AS listed(value)
WHERE jsonb_typeof(log.details -> 'subject_ids') = 'array'
"""
SQLITE_GUARD = [
    """CREATE TRIGGER audit_accesslogsubject_no_update BEFORE UPDATE ON audit_accesslogsubject
    BEGIN SELECT RAISE(ABORT, 'audit_accesslogsubject is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_accesslogsubject_no_delete BEFORE DELETE ON audit_accesslogsubject
    BEGIN SELECT RAISE(ABORT, 'audit_accesslogsubject is append-only: DELETE refused'); END""",
]
SQLITE_GUARD_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_accesslogsubject_no_update",
    "DROP TRIGGER IF EXISTS audit_accesslogsubject_no_delete",
]
# SQLite keeps a UUIDField as 32 hex digits; details hold the dashed form.
SQLITE_BACKFILL = """
INSERT INTO audit_accesslogsubject (event_id, subject_id)
SELECT DISTINCT log.event_id, lower(replace(listed.value, '-', ''))
FROM privacy_accesslog AS log, json_each(log.details, '$.subject_ids') AS listed
WHERE json_type(log.details, '$.subject_ids') = 'array'
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_GUARD, params=None)  # no %-placeholders: RAISE uses %
        schema_editor.execute(PG_BACKFILL, params=None)
    elif vendor == "sqlite":
        for statement in [*SQLITE_GUARD, SQLITE_BACKFILL]:
            schema_editor.execute(statement, params=None)
    else:
        raise RuntimeError(f"no append-only guard for database vendor {vendor!r}")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [PG_GUARD_BACKWARD] if vendor == "postgresql" else SQLITE_GUARD_BACKWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_labels_in_both_languages"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessLogSubject",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "event_id",
                    models.UUIDField(
                        help_text="The AccessLog row (a plain id, as everywhere in the log)."
                    ),
                ),
                ("subject_id", models.UUIDField()),
            ],
            options={
                "verbose_name": "access log subject",
                "verbose_name_plural": "access log subjects",
                "default_permissions": (),
                "indexes": [
                    models.Index(
                        fields=["subject_id", "event_id"], name="accesslogsubject_subject_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event_id", "subject_id"),
                        name="accesslogsubject_event_subject_uniq",
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
