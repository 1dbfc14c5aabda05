"""The credential epoch moves on whenever `is_active` changes, in the database itself
(docs/adr/0035): a deactivation and reactivation made by a plain `save()`, a queryset
`update()` or raw SQL ends every earlier session as the services do, because the session
fingerprint (User._get_session_auth_hash) covers the epoch. The epoch also never goes back: a
stale User object saved with an older epoch keeps the newer one, so sessions ended once cannot
come back.

SQLite (demo): AFTER UPDATE triggers that correct the row; SQLite drops them when a migration
rebuilds the table, so a later migration that alters accounts_user must re-create them."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION accounts_user_credential_epoch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.credential_epoch := GREATEST(NEW.credential_epoch, OLD.credential_epoch);
    IF NEW.is_active IS DISTINCT FROM OLD.is_active THEN
        NEW.credential_epoch := NEW.credential_epoch + 1;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER accounts_user_credential_epoch
    BEFORE UPDATE ON accounts_user
    FOR EACH ROW EXECUTE FUNCTION accounts_user_credential_epoch();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS accounts_user_credential_epoch ON accounts_user;
DROP FUNCTION IF EXISTS accounts_user_credential_epoch();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER accounts_user_epoch_never_back AFTER UPDATE OF credential_epoch
    ON accounts_user WHEN NEW.credential_epoch < OLD.credential_epoch
    BEGIN UPDATE accounts_user SET credential_epoch = OLD.credential_epoch
    WHERE id = NEW.id; END""",
    """CREATE TRIGGER accounts_user_epoch_on_activation AFTER UPDATE OF is_active
    ON accounts_user WHEN NEW.is_active IS NOT OLD.is_active
    BEGIN UPDATE accounts_user
    SET credential_epoch = MAX(NEW.credential_epoch, OLD.credential_epoch) + 1
    WHERE id = NEW.id; END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS accounts_user_epoch_never_back",
    "DROP TRIGGER IF EXISTS accounts_user_epoch_on_activation",
]


def _run(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)
    else:
        raise RuntimeError(f"no credential epoch trigger for database vendor {vendor!r}")


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_credential_code_delivery_and_membership_requests")]

    operations = [migrations.RunPython(forward, backward)]
