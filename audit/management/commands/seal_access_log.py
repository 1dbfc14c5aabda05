"""Seals the access log now: numbers and chains every committed row not yet sealed."""

from typing import Any

from django.core.management.base import BaseCommand

from audit.sealing import access_log_seal


class Command(BaseCommand):
    help = (
        "Seal unsealed access-log rows (the beat task does this every few seconds). Waits for "
        "the chain lock at most the connection's lock_timeout."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = access_log_seal(wait=True)
        self.stdout.write(f"sealed {result.sealed} row(s); head {result.head_sequence}")
