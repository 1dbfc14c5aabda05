"""Recorded recipients become catalogue identities where exactly one entry matches exactly;
the others cover no one and are kept in `unresolved_recipients` for the privacy officer
(initiatives.recipients, docs/adr/0032)."""

from django.db import migrations

from initiatives.recipients import PREFIX, Entry, resolve_recorded


def to_identities(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    Consent = apps.get_model("signals", "Consent")
    catalogue = [Entry(id=i.pk, slug=i.slug, name=i.name) for i in Initiative.objects.all()]
    for consent in Consent.objects.all().iterator():
        if not any(r.startswith(PREFIX) for r in consent.recipients):
            continue
        resolved = resolve_recorded(consent.recipients, catalogue)
        consent.recipients = resolved.recipients
        consent.unresolved_recipients = resolved.unresolved
        consent.save(update_fields=["recipients", "unresolved_recipients"])


def to_names(apps, schema_editor):
    """Back to slugs; the unresolved names return as recorded."""
    Initiative = apps.get_model("initiatives", "Initiative")
    Consent = apps.get_model("signals", "Consent")
    slugs = {f"{PREFIX}{i.pk}": f"{PREFIX}{i.slug}" for i in Initiative.objects.all()}
    for consent in Consent.objects.all().iterator():
        recipients = [slugs.get(r, r) for r in consent.recipients]
        recipients += [f"{PREFIX}{name}" for name in consent.unresolved_recipients]
        consent.recipients = recipients
        consent.unresolved_recipients = []
        consent.save(update_fields=["recipients", "unresolved_recipients"])


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0004_model_names"),
        ("signals", "0012_consent_text_purposes"),
    ]

    operations = [migrations.RunPython(to_identities, to_names)]
