"""The access log now belongs to the audit app (audit 0001, docs/adr/0020): privacy forgets the
model. State only: the table `privacy_accesslog`, its rows and its triggers stay as they are.

The model's content type follows it: privacy.accesslog becomes audit.accesslog. Where both
exist (on a fresh database a permissions helper of another migration may have made both while
the two states overlapped) the privacy one is a stale duplicate and goes: the access log has no
permissions and no admin pages, so nothing refers to it.
"""

from django.db import migrations


def content_type_to_audit(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.db_manager(schema_editor.connection.alias)
    old = rows.filter(app_label="privacy", model="accesslog")
    if rows.filter(app_label="audit", model="accesslog").exists():
        old.delete()
    else:
        old.update(app_label="audit")


def content_type_to_privacy(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.db_manager(schema_editor.connection.alias)
    if not rows.filter(app_label="privacy", model="accesslog").exists():
        rows.filter(app_label="audit", model="accesslog").update(app_label="privacy")


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0006_account_change_actions"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessLog")],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_audit, content_type_to_privacy),
    ]
