"""Re-encrypts every encrypted field under the newest key in FIELD_ENCRYPTION_KEYS."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.encryption import FieldDecryptionError, encrypted_fields_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt all encrypted fields under the first (newest) key of FIELD_ENCRYPTION_KEYS. "
        "Run after putting a new key in front; drop the old key only after this succeeds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            reports = encrypted_fields_rotate(batch_size=options["batch_size"])
        except FieldDecryptionError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for report in reports:
            self.stdout.write(
                f"{report.model}: {report.rows_seen} rows checked, "
                f"{report.values_rotated} values re-encrypted"
            )
        self.stdout.write(f"done: {len(reports)} model(s) with encrypted fields")
