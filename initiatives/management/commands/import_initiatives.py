import io
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from initiatives.catalogue_import import ImportRefused, catalogue_text, import_catalogue


class Command(BaseCommand):
    help = (
        "Import or update initiatives from a CSV file (format: docs/initiatives-import.md). "
        "All or nothing; re-running the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--delimiter", default=";", help="column separator (default ;)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")

        def progress(rows: list) -> Any:
            return tqdm(rows, desc="initiatives", unit="row", file=sys.stderr, disable=None)

        try:
            stream = io.StringIO(catalogue_text(path.read_bytes()), newline="")
            result = import_catalogue(stream, delimiter=options["delimiter"], progress=progress)
        except ImportRefused as refused:
            for line, message in refused.errors:
                self.stderr.write(f"{path.name}:{line}: {message}")
            raise CommandError(
                f"{path.name}: {len(refused.errors)} error(s); nothing was imported"
            ) from None
        self.stdout.write(
            f"{path.name}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
