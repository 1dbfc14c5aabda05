from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

REFUSAL = (
    "Demo data is refused under {module}: it creates accounts with a published password and "
    "TOTP secret. It loads only with DJANGO_SETTINGS_MODULE=backend.settings.demo (make run) "
    "or backend.settings.test."
)


class Command(BaseCommand):
    help = (
        "Load the demo data of every app listed in settings.DEMO_DATA_LOADERS (idempotent). "
        "Demo and test settings only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(REFUSAL.format(module=settings.SETTINGS_MODULE))
        for dotted in settings.DEMO_DATA_LOADERS:
            for line in import_string(dotted)():
                self.stdout.write(line)
