from typing import Any

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = (
        "Record today's team digests now instead of at the beat's next hour (the demo sends "
        "them once at start-up). Once per person, team and day, as the beat task."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = services.team_digests_send()
        self.stdout.write(f"Team digests: {recorded} recorded; the worker sends them.")
