# Resident contact details and free text encrypted at rest (audit.fields.EncryptedTextField).
# Existing plaintext is encrypted in place; the reverse decrypts it again.

import audit.fields
from django.db import migrations, models
from django.db.models.functions import Cast

ENCRYPTED = {
    "signal": [
        "resident_first_name",
        "contact_phone",
        "contact_email",
        "postcode",
        "house_number_addition",
        "observation",
    ],
    "signalnote": ["body"],
    "consentwithdrawal": ["reason"],
}


def _convert(apps, convert):
    for model_name, fields in ENCRYPTED.items():
        model = apps.get_model("signals", model_name)
        # Cast to plain text: read the stored column, not what the field would decrypt.
        raw = {f"_raw_{name}": Cast(name, output_field=models.TextField()) for name in fields}
        for row in model._base_manager.annotate(**raw).values("pk", *raw).iterator():
            updates = {}
            for name in fields:
                stored = row[f"_raw_{name}"]
                if stored:
                    new = convert(stored)
                    if new != stored:
                        updates[name] = models.Value(new, output_field=models.TextField())
            if updates:
                model._base_manager.filter(pk=row["pk"]).update(**updates)


def _is_token(value):
    from audit.encryption import decrypt_text, FieldDecryptionError

    try:
        decrypt_text(value)
    except FieldDecryptionError:
        return False
    return True


def encrypt_existing(apps, schema_editor):
    from audit.encryption import encrypt_text

    _convert(apps, lambda value: value if _is_token(value) else encrypt_text(value))


def decrypt_existing(apps, schema_editor):
    from audit.encryption import decrypt_text

    _convert(apps, lambda value: decrypt_text(value) if _is_token(value) else value)


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0004_restriction'),
    ]

    operations = [
        migrations.AlterField(
            model_name='consentwithdrawal',
            name='reason',
            field=audit.fields.EncryptedTextField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='signal',
            name='contact_email',
            field=audit.fields.EncryptedTextField(blank=True, max_length=254),
        ),
        migrations.AlterField(
            model_name='signal',
            name='contact_phone',
            field=audit.fields.EncryptedTextField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name='signal',
            name='house_number_addition',
            field=audit.fields.EncryptedTextField(blank=True, max_length=8),
        ),
        migrations.AlterField(
            model_name='signal',
            name='observation',
            field=audit.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='signal',
            name='postcode',
            field=audit.fields.EncryptedTextField(blank=True, max_length=6),
        ),
        migrations.AlterField(
            model_name='signal',
            name='resident_first_name',
            field=audit.fields.EncryptedTextField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name='signalnote',
            name='body',
            field=audit.fields.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]
