from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo data of every app listed in settings.DEMO_DATA_LOADERS (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for dotted in settings.DEMO_DATA_LOADERS:
            for line in import_string(dotted)():
                self.stdout.write(line)
