"""The access log now belongs to the audit app (audit 0001, docs/adr/0020): privacy forgets the
model. State only: the table `privacy_accesslog`, its rows and its triggers stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0006_account_change_actions"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessLog")],
            database_operations=[],
        ),
    ]
