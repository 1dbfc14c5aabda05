from typing import Any

from django.core.management.base import BaseCommand

from outcomes.stats import releases


class Command(BaseCommand):
    help = (
        "Release the figures of every whole month not yet released (docs/adr/0031). Idempotent: "
        "a month already released is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = releases.figure_releases_create()
        for release in made:
            self.stdout.write(f"released {release.period:%Y-%m}: {release.hidden} cells hidden")
        if not made:
            self.stdout.write("nothing to release")
