# Break-glass: a register of openings with their reason, and an expiry on object permissions.

import django.db.models.deletion
import django.utils.timezone
import audit.fields
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0005_encrypt_personal_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='signaluserobjectpermission',
            name='expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name='BreakGlassAccess',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('reason', audit.fields.EncryptedTextField(max_length=500)),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('signal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='break_glass', to='signals.signal')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'break-glass accesses',
                'ordering': ['-opened_at'],
                'indexes': [models.Index(fields=['user', 'signal', 'expires_at'], name='signals_bre_user_id_f4c4b3_idx')],
            },
        ),
    ]
