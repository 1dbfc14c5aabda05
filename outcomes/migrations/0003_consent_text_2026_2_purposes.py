"""The 2026-2 texts (migration 0002) ask about the six questions: they declare measuring
besides team contact, nothing about initiatives (docs/adr/0032)."""

from django.db import migrations


def declare(apps, schema_editor):
    ConsentText = apps.get_model("signals", "ConsentText")
    ConsentText.objects.filter(version="2026-2").update(
        purposes=["team_contact", "measure_outcome"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_seed_djg6"),
        ("signals", "0012_consent_text_purposes"),
    ]

    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
