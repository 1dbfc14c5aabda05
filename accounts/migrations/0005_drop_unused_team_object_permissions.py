# Team object permissions (django-guardian direct foreign-key tables) were never granted or read:
# team access follows memberships. The tables go; guardian's generic tables remain.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_normalise_emails"),
    ]

    operations = [
        migrations.DeleteModel(name="TeamGroupObjectPermission"),
        migrations.DeleteModel(name="TeamUserObjectPermission"),
    ]
