"""The team queue's index: a team's open, unrestricted signals in page order (due_at, id), so a
queue page reads its 50 rows from the index whatever the size of the table (docs/adr/0029). The
condition is signals.models.OPEN_FOR_TEAM, written out as a migration must."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("signals", "0009_referral_event")]

    operations = [
        migrations.AddIndex(
            model_name="signal",
            index=models.Index(
                condition=models.Q(
                    ("restricted_at__isnull", True),
                    ("status__in", ["acknowledged", "contacted", "in_follow_up", "routed"]),
                ),
                fields=["team", "due_at", "id"],
                name="signal_team_queue",
            ),
        ),
    ]
