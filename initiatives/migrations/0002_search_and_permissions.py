"""PostgreSQL full-text search over the catalogue with the Dutch configuration: a generated
`search_vector` column and its GIN index (the model does not declare the column; SQLite has
neither and searches word by word, initiatives.search). Admins manage the catalogue."""

from django.db import migrations

from accounts.migration_helpers import grant_role_permissions

TABLE = "initiatives_initiative"
VECTOR = (
    "setweight(to_tsvector('dutch', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('dutch', coalesce(organisation, '')), 'B') || "
    "setweight(to_tsvector('dutch', coalesce(description_nl, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(description_en, '')), 'D')"
)
ADMIN_PERMISSIONS = {
    "admin": [
        f"initiatives.{action}_initiative" for action in ("add", "change", "delete", "view")
    ],
}


def add_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX initiatives_search_gin ON {TABLE} USING gin (search_vector)"
    )


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS initiatives_search_gin")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")


def grant(apps, schema_editor):
    grant_role_permissions(apps, ADMIN_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial"), ("accounts", "0002_roles")]

    operations = [
        migrations.RunPython(add_search, drop_search),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
