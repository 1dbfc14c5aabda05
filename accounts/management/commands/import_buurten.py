import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.neighbourhood_import import (
    ImportFormatError,
    import_address_table,
    open_text,
    version_label_from,
)


class Command(BaseCommand):
    help = (
        "Import a CBS 'Buurt, wijk en gemeente voor postcode huisnummer' CSV "
        "(PC6;Huisnummer;Buurt<jaar>;Wijk<jaar>;Gemeente<jaar>) into a mapping version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to pc6hnr<jaar>0801_gwb.csv")
        parser.add_argument("--label", help="mapping version label (default: year from the file)")
        parser.add_argument(
            "--activate", action="store_true", help="make this version the one routing uses"
        )
        parser.add_argument("--demo", action="store_true", help="mark the version as demo data")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--max-errors-shown", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"file not found: {path}")
        with open_text(path) as stream:
            header = stream.readline()
            stream.seek(0)
            label = options["label"] or version_label_from(os.path.basename(path), header)
            if not label:
                raise CommandError("cannot tell the year from the file; pass --label")
            bar = tqdm(
                desc="rows", unit="row", file=self.stderr._out, disable=options["verbosity"] == 0
            )
            try:
                report = import_address_table(
                    stream=stream,
                    version_label=label,
                    source_name=os.path.basename(path),
                    is_demo=options["demo"],
                    activate=options["activate"],
                    batch_size=options["batch_size"],
                    progress=bar.update,
                )
            except ImportFormatError as exc:
                raise CommandError(str(exc)) from exc
            finally:
                bar.close()
        for line, error in report.errors[: options["max_errors_shown"]]:
            self.stderr.write(f"line {line}: rejected: {error}")
        if len(report.errors) > options["max_errors_shown"]:
            self.stderr.write(f"... and {len(report.errors) - options['max_errors_shown']} more")
        self.stdout.write(
            f"mapping {label}: read {report.read}, added {report.added}, "
            f"updated {report.updated}, unchanged {report.unchanged}, rejected {report.rejected}"
        )
