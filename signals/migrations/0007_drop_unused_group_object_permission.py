# Group object permissions on a signal were never granted or read: shares and break-glass grants
# are per user (SignalUserObjectPermission, kept). The table goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0006_break_glass"),
    ]

    operations = [
        migrations.DeleteModel(name="SignalGroupObjectPermission"),
    ]
