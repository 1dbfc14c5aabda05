"""The starting retention policy (docs/adr/0013): personal data of a closed signal is kept a year
after closing, of a declined one 90 days; a withdrawal erases at once (the task is a safety net).
Open statuses have no policy: their data is kept while the team works on them."""

from django.db import migrations

DEFAULTS = {"closed": 365, "declined": 90, "withdrawn": 0}


def seed(apps, schema_editor):
    RetentionPolicy = apps.get_model("privacy", "RetentionPolicy")
    for status, days in DEFAULTS.items():
        RetentionPolicy.objects.get_or_create(status=status, defaults={"erase_after_days": days})


def unseed(apps, schema_editor):
    RetentionPolicy = apps.get_model("privacy", "RetentionPolicy")
    RetentionPolicy.objects.filter(status__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_subject_requests_retention"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
