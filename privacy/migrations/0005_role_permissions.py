"""Admins maintain retention periods; privacy officers read them and the subject requests."""

from django.db import migrations

from accounts.migration_helpers import grant_role_permissions

ROLE_PERMISSIONS = {
    "admin": ["privacy.view_retentionpolicy", "privacy.change_retentionpolicy"],
    "privacy_officer": ["privacy.view_retentionpolicy", "privacy.view_subjectrequest"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_seed_retention_policy"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
