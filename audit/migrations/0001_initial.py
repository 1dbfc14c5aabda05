"""The access log moves from the privacy app to this one (docs/adr/0020): state only.

The table keeps its name, `privacy_accesslog`, with its rows, hash chain, indexes and the
append-only triggers of privacy migration 0002; nothing in the database changes. On a fresh
database the privacy migrations create the table first (this one depends on the last that
shaped it), then the model changes owner here and privacy 0007 forgets it (and moves its
content type).
"""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("privacy", "0006_account_change_actions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccessLog',
                    fields=[
                        ('event_id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('sequence', models.BigIntegerField(editable=False, unique=True)),
                        ('occurred_at', models.DateTimeField(help_text='UTC')),
                        ('action', models.CharField(choices=[('read', 'Inzien'), ('list', 'Lijst inzien'), ('search', 'Zoeken'), ('export', 'Exporteren'), ('create', 'Aanmaken'), ('update', 'Wijzigen'), ('delete', 'Verwijderen'), ('consent_change', 'Toestemming gewijzigd'), ('login', 'Ingelogd'), ('login_failed', 'Inloggen mislukt'), ('mfa_enrol', 'Tweede factor gekoppeld'), ('membership_change', 'Teamlidmaatschap gewijzigd'), ('role_change', 'Rol gewijzigd'), ('credential_change', 'Inloggegevens gewijzigd'), ('mfa_change', 'Tweede factor gewijzigd'), ('access_denied', 'Toegang geweigerd'), ('audit_read', 'Toegangslog ingezien')], max_length=32)),
                        ('outcome', models.CharField(choices=[('success', 'Gelukt'), ('denied', 'Geweigerd'), ('failed', 'Mislukt')], max_length=16)),
                        ('actor_id', models.UUIDField(blank=True, null=True)),
                        ('actor_roles', models.JSONField(blank=True, default=list)),
                        ('actor_organisation_id', models.UUIDField(blank=True, null=True)),
                        ('client_address', models.CharField(blank=True, max_length=45)),
                        ('user_agent', models.CharField(blank=True, max_length=255)),
                        ('subject_id', models.UUIDField(blank=True, null=True)),
                        ('object_type', models.CharField(blank=True, max_length=64)),
                        ('object_id', models.CharField(blank=True, max_length=64)),
                        ('fields_touched', models.JSONField(blank=True, default=list)),
                        ('purpose', models.CharField(choices=[('authentication', 'Inloggen en beveiliging'), ('signal_handling', 'Opvolgen van een signaal'), ('audit', 'Toezicht op toegang'), ('data_subject_request', 'Verzoek van betrokkene'), ('retention', 'Bewaartermijn')], max_length=32)),
                        ('authorisation_rule', models.CharField(blank=True, max_length=128)),
                        ('consent_id', models.CharField(blank=True, max_length=64)),
                        ('request_id', models.CharField(blank=True, max_length=64)),
                        ('details', models.JSONField(blank=True, default=dict)),
                        ('previous_hash', models.CharField(editable=False, max_length=64)),
                        ('row_hash', models.CharField(editable=False, max_length=64)),
                    ],
                    options={
                        'db_table': 'privacy_accesslog',
                        'ordering': ['-sequence'],
                        'default_permissions': (),
                        'indexes': [models.Index(fields=['subject_id', '-sequence'], name='accesslog_subject_idx'), models.Index(fields=['actor_id', '-sequence'], name='accesslog_actor_idx'), models.Index(fields=['occurred_at'], name='accesslog_time_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
